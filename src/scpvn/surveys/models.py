"""The competitiveness survey (task 4): sectors defined by VSIC prefixes, a seeded sample
from the registry, and the generated reports. The questions, answers and their checks are
the questionnaire engine's (`assessments`): a survey points at its questionnaire, and each
sampled enterprise holds an assignment of it."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from scpvn.assessments.models import Response
from scpvn.core.files import DOCUMENTS, UploadValidator
from scpvn.plans.fields import agency_field, deliverable_field


class Survey(models.Model):
    title = models.CharField(_("tên cuộc khảo sát"), max_length=255)
    year = models.PositiveIntegerField(_("năm"))
    seed = models.PositiveIntegerField(
        _("hạt giống chọn mẫu"), default=96, help_text=_("cùng hạt giống, cùng sổ → cùng mẫu")
    )
    agency = agency_field()
    # One questionnaire per survey round: an enterprise holds at most one assignment of a
    # questionnaire, so two rounds sharing one could not both sample it.
    questionnaire = models.OneToOneField(
        "assessments.Questionnaire",
        on_delete=models.PROTECT,
        related_name="survey",
        verbose_name=_("phiếu khảo sát"),
        limit_choices_to={"subject": "enterprise"},
    )
    deliverable = deliverable_field(_("sản phẩm đầu ra (doanh nghiệp được khảo sát)"))
    summary_deliverable = deliverable_field(_("sản phẩm đầu ra (báo cáo tổng hợp)"))

    class Meta:
        db_table = "network_survey"  # the table kept its name when the app split
        verbose_name = _("cuộc khảo sát năng lực cạnh tranh")
        verbose_name_plural = _("cuộc khảo sát năng lực cạnh tranh")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:survey", args=[self.pk])


class SurveySector(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sectors")
    name = models.CharField(_("lĩnh vực"), max_length=255)
    vsic_prefixes = models.JSONField(
        _("mã VSIC (tiền tố)"), help_text=_('ví dụ ["25", "28"]: mọi mã ngành bắt đầu bằng')
    )
    sample_size = models.PositiveIntegerField(_("cỡ mẫu"), default=30)
    report_deliverable = deliverable_field(_("sản phẩm đầu ra (báo cáo lĩnh vực)"))

    class Meta:
        db_table = "network_surveysector"  # the table kept its name when the app split
        verbose_name = _("lĩnh vực khảo sát")
        verbose_name_plural = _("lĩnh vực khảo sát")
        ordering = ["survey", "pk"]

    def __str__(self) -> str:
        return self.name


class SurveyResponseQuerySet(models.QuerySet):
    def answered(self):
        """Sampled enterprises whose assignment holds a response."""
        return self.filter(
            models.Exists(Response.objects.filter(assignment=models.OuterRef("assignment")))
        )


class SurveyResponse(models.Model):
    """An enterprise in a survey's sample: its sector, and its assignment of the survey's
    questionnaire. Answered once the engine holds a response on that assignment; an
    enterprise that refuses is marked declined."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chưa trả lời")
        ANSWERED = "answered", _("Đã trả lời")
        DECLINED = "declined", _("Từ chối")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    sector = models.ForeignKey(SurveySector, on_delete=models.CASCADE, related_name="responses")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("doanh nghiệp"),
    )
    assignment = models.OneToOneField(
        "assessments.Assignment", on_delete=models.PROTECT, related_name="survey_sample"
    )
    declined = models.BooleanField(_("từ chối"), default=False)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        db_table = "network_surveyresponse"  # the table kept its name when the app split
        verbose_name = _("phiếu khảo sát")
        verbose_name_plural = _("phiếu khảo sát")
        ordering = ["sector", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "enterprise"], name="sampled_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.enterprise}"

    def latest_response(self) -> Response | None:
        return max(self.assignment.responses.all(), key=lambda r: (r.date, r.pk), default=None)

    @property
    def status(self) -> str:
        # `.all()`: reads a prefetch of `assignment__responses` when the page made one
        if self.assignment.responses.all():
            return self.Status.ANSWERED
        return self.Status.DECLINED if self.declined else self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class SurveyReport(models.Model):
    """A generated report: one per sector, and the summary (no sector), as DOCX and as the
    draft PDF of the official document; issuing it (`reports.issuing`) numbers and signs a
    PDF kept in the outgoing-document register."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reports")
    sector = models.OneToOneField(
        SurveySector, on_delete=models.CASCADE, null=True, blank=True, related_name="report"
    )
    file = models.FileField(
        _("tệp báo cáo"),
        upload_to="network/survey-reports/",
        validators=[UploadValidator(DOCUMENTS)],
    )
    pdf = models.FileField(
        _("tệp PDF (dự thảo)"),
        upload_to="network/survey-reports/",
        blank=True,
        validators=[UploadValidator(DOCUMENTS)],
    )
    generated_at = models.DateTimeField(_("tạo lúc"), auto_now=True)
    respondents = models.PositiveIntegerField(_("số phiếu"))

    class Meta:
        db_table = "network_surveyreport"  # the table kept its name when the app split
        verbose_name = _("báo cáo khảo sát")
        verbose_name_plural = _("báo cáo khảo sát")
        ordering = ["survey", "sector"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey"], condition=models.Q(sector=None), name="one_summary_report"
            )
        ]

    def __str__(self) -> str:
        return str(self.sector or _("Báo cáo tổng hợp"))

    def get_absolute_url(self) -> str:
        return self.survey.get_absolute_url()
