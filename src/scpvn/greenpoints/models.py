"""Green business points (task 5): criteria per field, applications with evidence, scored
assessments, and certificates with a validity period and renewal."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scpvn.core.files import DOCUMENTS, IMAGES, UploadValidator
from scpvn.plans.fields import deliverable_field


class GreenField(models.Model):
    """A field of trade with its own checklist (interior furnishings, education equipment…)."""

    name = models.CharField(_("lĩnh vực"), max_length=255, unique=True)
    pass_score = models.PositiveIntegerField(
        _("điểm đạt"), help_text=_("tổng điểm tối thiểu để được chứng nhận")
    )
    validity_months = models.PositiveIntegerField(_("thời hạn chứng nhận (tháng)"), default=24)

    class Meta:
        db_table = "network_greenfield"  # the table kept its name when the app split
        verbose_name = _("lĩnh vực điểm kinh doanh xanh")
        verbose_name_plural = _("lĩnh vực điểm kinh doanh xanh")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    field = models.ForeignKey(GreenField, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(_("tiêu chí"), max_length=255)
    max_score = models.PositiveIntegerField(_("điểm tối đa"))

    class Meta:
        db_table = "network_criterion"  # the table kept its name when the app split
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["field", "order"]

    def __str__(self) -> str:
        return self.text


class GreenPoint(models.Model):
    """A shop applying to be (and then being) a certified green business point."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ đánh giá")
        ASSESSED = "assessed", _("Đã đánh giá")
        CERTIFIED = "certified", _("Đã chứng nhận")
        REJECTED = "rejected", _("Không đạt")

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="green_points",
        verbose_name=_("doanh nghiệp"),
    )
    field = models.ForeignKey(
        GreenField, on_delete=models.PROTECT, related_name="points", verbose_name=_("lĩnh vực")
    )
    name = models.CharField(_("tên điểm kinh doanh"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255)
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("quận, huyện")
    )
    description = models.TextField(_("mô tả sản phẩm xanh, thông minh"), blank=True)
    evidence = models.FileField(
        _("hồ sơ minh chứng"),
        upload_to="network/greenpoints/",
        validators=[UploadValidator(DOCUMENTS | IMAGES)],
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    deliverable = deliverable_field()
    submitted_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    history = HistoricalRecords(table_name="network_historicalgreenpoint")

    class Meta:
        db_table = "network_greenpoint"  # the table kept its name when the app split
        verbose_name = _("điểm kinh doanh xanh")
        verbose_name_plural = _("điểm kinh doanh xanh")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "field", "name"], name="one_green_point_application"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:greenpoint", args=[self.pk])

    def current_certificate(self, on: dt.date) -> "Certificate | None":
        return self.certificates.filter(issued__lte=on, valid_until__gte=on).first()


class Assessment(models.Model):
    point = models.ForeignKey(GreenPoint, on_delete=models.CASCADE, related_name="assessments")
    date = models.DateField(_("ngày đánh giá"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # criterion id (as text) → score given, checked against the field's checklist.
    scores = models.JSONField(_("điểm theo tiêu chí"))
    total = models.PositiveIntegerField(_("tổng điểm"))
    passed = models.BooleanField(_("đạt"))
    note = models.TextField(_("nhận xét"), blank=True)

    history = HistoricalRecords(table_name="network_historicalassessment")

    class Meta:
        db_table = "network_assessment"  # the table kept its name when the app split
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.point}: {self.total}"


class Certificate(models.Model):
    point = models.ForeignKey(GreenPoint, on_delete=models.CASCADE, related_name="certificates")
    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("số chứng nhận"), max_length=30, unique=True)
    issued = models.DateField(_("ngày cấp"))
    valid_until = models.DateField(_("hiệu lực đến"))
    renews = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("gia hạn cho"),
    )

    history = HistoricalRecords(table_name="network_historicalcertificate")

    class Meta:
        db_table = "network_certificate"  # the table kept its name when the app split
        verbose_name = _("giấy chứng nhận")
        verbose_name_plural = _("giấy chứng nhận")
        ordering = ["-issued"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued")),
                name="certificate_valid_after_issue",
            )
        ]

    def __str__(self) -> str:
        return self.number
