"""Work done for a task, counted toward its deliverables.

Activities are recorded by agencies (draft → submitted → approved or returned) or produced
by the modules that run the work itself (a fair held, a training given, an article
published): those carry their `source` and are approved on creation. Only approved
activities count.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scpvn.core.files import DOCUMENTS, IMAGES, UploadValidator
from scpvn.core.review import ReviewedRecord


class Activity(ReviewedRecord):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Trả lại")
        # A reviewer found it counts an output already counted: kept for the record, never counted.
        VOID = "void", _("Đã hủy (trùng)")

    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("nhiệm vụ"),
    )
    deliverable = models.ForeignKey(
        "plans.Deliverable",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("sản phẩm đầu ra"),
    )
    # A duty of the plan's "organisation" section that is not a task (Agriculture's chains,
    # the liaison programme with the Ministry): work on it is tracked and reported by it.
    duty = models.ForeignKey(
        "plans.Duty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("nhiệm vụ của cơ quan (mục tổ chức thực hiện)"),
    )
    agency = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("cơ quan thực hiện"),
    )
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("quận, huyện"),
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("đơn vị hành chính"),
        help_text=_("Phường, xã từ 1/7/2025; quận, huyện hoặc xã cũ cho hồ sơ trước đó."),
    )
    date = models.DateField(_("ngày thực hiện"), db_index=True)
    quantity = models.DecimalField(_("số lượng"), max_digits=14, decimal_places=2, default=0)
    title = models.CharField(_("tên hoạt động"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    # A hand-entered activity about an output a module already records (the fair's booths,
    # the printed flyers) names that record: it adds evidence and words, never a second count.
    module_record = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_by",
        verbose_name=_("bản ghi mô-đun được báo cáo"),
    )
    void_reason = models.TextField(_("lý do hủy"), blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người hủy"),
    )
    voided_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    # When it started to count. Status at a past date counts only what was approved by then.
    approved_at = models.DateTimeField(_("được duyệt lúc"), null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "deliverable"], name="one_activity_per_source"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="quantity_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["deliverable", "status", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("progress:activity", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED) and not self.source_id


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.activity_id}/{filename}"


class Evidence(models.Model):
    """A file (checked by its content) or a link (article, video, TV report) backing an
    activity."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("hoạt động")
    )
    file = models.FileField(
        _("tệp"),
        upload_to=evidence_path,
        blank=True,
        validators=[UploadValidator(DOCUMENTS | IMAGES)],
    )
    kind = models.CharField(_("loại tệp"), max_length=10, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng"), default=0)
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    name = models.CharField(_("tên"), max_length=255)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("thêm lúc"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(url=""), name="evidence_file_or_link"
            )
        ]

    def __str__(self) -> str:
        return self.name
