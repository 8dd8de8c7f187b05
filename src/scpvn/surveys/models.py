"""The competitiveness survey (task 4): sectors defined by VSIC prefixes, a seeded sample
from the registry, the questionnaire, responses, and the generated reports."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from scpvn.core.files import DOCUMENTS, UploadValidator
from scpvn.plans.fields import agency_field, deliverable_field


class Survey(models.Model):
    title = models.CharField(_("tên cuộc khảo sát"), max_length=255)
    year = models.PositiveIntegerField(_("năm"))
    seed = models.PositiveIntegerField(
        _("hạt giống chọn mẫu"), default=96, help_text=_("cùng hạt giống, cùng sổ → cùng mẫu")
    )
    agency = agency_field()
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


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Thang điểm 1–5")
        YESNO = "yesno", _("Có/Không")
        NUMBER = "number", _("Số")
        TEXT = "text", _("Văn bản")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField()
    text = models.CharField(_("câu hỏi"), max_length=500)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)

    class Meta:
        db_table = "network_question"  # the table kept its name when the app split
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["survey", "order"]
        constraints = [models.UniqueConstraint(fields=["survey", "order"], name="question_order")]

    def __str__(self) -> str:
        return f"C{self.order}. {self.text}"


class SurveyResponse(models.Model):
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
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answers = models.JSONField(_("câu trả lời"), default=dict, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

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

    def get_absolute_url(self) -> str:
        return reverse("network:response", args=[self.pk])


class SurveyReport(models.Model):
    """A generated DOCX: one per sector, and the summary (no sector)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reports")
    sector = models.OneToOneField(
        SurveySector, on_delete=models.CASCADE, null=True, blank=True, related_name="report"
    )
    file = models.FileField(
        _("tệp báo cáo"),
        upload_to="network/survey-reports/",
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
