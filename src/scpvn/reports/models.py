"""Periodic reports on a plan: one per reporting duty and period (`2020-H1`, `2020`).

Agencies write their sections (a narrative per task they take part in), the reporting
agency compiles (number, difficulties, proposals) and submits, a reviewer approves or
returns it. On submit the figures are frozen in `snapshot`, so the document sent is the
document kept, whatever is recorded afterwards.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scpvn.core.review import ReviewedRecord


class Report(ReviewedRecord):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã trình")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Trả lại")
        ISSUED = "issued", _("Đã phát hành")

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="reports")
    duty = models.ForeignKey(
        "plans.ReportingDuty",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("chế độ báo cáo"),
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=10)
    number = models.CharField(
        _("số"), max_length=20, blank=True, help_text=_("Phần số của “Số: …/BC-SCT”.")
    )
    summary = models.TextField(_("đánh giá chung"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    signer_title = models.CharField(_("chức danh người ký"), max_length=100, default="GIÁM ĐỐC")
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Vietnamese reports are "trình" (put before the signer), not sent.
    submitted_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    snapshot = models.JSONField(_("số liệu chốt khi trình"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["plan", "duty__order", "period"]
        constraints = [
            models.UniqueConstraint(fields=["duty", "period"], name="one_report_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.duty.what[:60]} — {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ReportSection(models.Model):
    """What one agency reports on one task, or on one of its duties of the plan's
    organisation section that is not a task (Agriculture's chains, the liaison programme
    with the Ministry), for the period."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    task = models.ForeignKey(
        "plans.Task", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    duty = models.ForeignKey(
        "plans.Duty",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ của cơ quan"),
    )
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("kết quả thực hiện"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phần báo cáo của đơn vị")
        verbose_name_plural = _("phần báo cáo của đơn vị")
        ordering = ["task__number", "duty__order", "agency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "task", "agency"], name="one_section_per_agency_task"
            ),
            models.UniqueConstraint(
                fields=["report", "duty", "agency"], name="one_section_per_agency_duty"
            ),
            models.CheckConstraint(
                condition=models.Q(task__isnull=False, duty__isnull=True)
                | models.Q(task__isnull=True, duty__isnull=False),
                name="section_names_task_or_duty",
            ),
        ]

    def __str__(self) -> str:
        about = self.task.number if self.task_id else f"{self.duty.agency.code}/{self.duty.order}"
        return f"{self.agency.code} · {about}"


class InspectionReport(models.Model):
    """The report on the inspections of a period (Plan 96, deliverable 10.2), built from
    the inspection responses of the period, by unit and by kind of place, with the photos
    as an annex. It is issued (numbered and signed) like a periodic report, and once issued
    it counts toward its deliverable; a corrected version is a new issue."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="inspection_reports"
    )
    deliverable = models.ForeignKey(
        "plans.Deliverable",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sản phẩm đầu ra"),
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=10)
    # The agency that issues it: the lead of the deliverable's task.
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    signer_title = models.CharField(_("chức danh người ký"), max_length=100, default="GIÁM ĐỐC")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo kết quả kiểm tra")
        verbose_name_plural = _("báo cáo kết quả kiểm tra")
        ordering = ["plan", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "period"], name="one_inspection_report_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deliverable.display_code} — {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("reports:inspection", args=[self.pk])


class OutgoingRegister(models.Model):
    """An agency's outgoing-document register (sổ đăng ký văn bản đi) for one year.

    `last_number` is the counter: the row is locked while a number is given, so two
    documents issued at once get consecutive numbers, and it only grows, so a number
    given to a cancelled issue is never given again."""

    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    year = models.PositiveIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ văn bản đi")
        verbose_name_plural = _("sổ văn bản đi")
        ordering = ["agency__code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_register_per_agency_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.year}"


class IssuedDocument(models.Model):
    """One line of the register: a number given to a signed document. A cancelled issue
    keeps its line, its number and its reason; the signed file is kept as it was sent."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Đã phát hành")
        CANCELLED = "cancelled", _("Đã hủy")

    register = models.ForeignKey(
        OutgoingRegister, on_delete=models.PROTECT, related_name="entries", verbose_name=_("sổ")
    )
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=40)
    issued_on = models.DateField(_("ngày ban hành"))
    issued_at = models.DateTimeField(_("ký lúc"))
    title = models.CharField(_("trích yếu"), max_length=500)
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="issues"
    )
    inspection_report = models.ForeignKey(
        InspectionReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("báo cáo kết quả kiểm tra"),
    )
    survey_report = models.ForeignKey(
        "surveys.SurveyReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("báo cáo khảo sát"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    person_signer = models.CharField(_("người ký"), max_length=300)
    agency_signer = models.CharField(_("cơ quan ký"), max_length=300)
    pdf = models.BinaryField(_("tệp PDF đã ký"), editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.ISSUED
    )
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        ordering = ["register", "number"]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="one_document_per_number")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def document(self):
        """What was issued: a periodic, inspection or survey report."""
        return self.report or self.inspection_report or self.survey_report

    @property
    def code(self) -> str:
        """As it reads on the document: `12/BC-SCT`."""
        return f"{self.number}/{self.symbol}"
