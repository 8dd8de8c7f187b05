"""Product-service systems (task 6): the guidance library and the pilot model's record."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from scpvn.core.files import DOCUMENTS, IMAGES, UploadValidator
from scpvn.plans.fields import agency_field, deliverable_field


class GuidanceDocument(models.Model):
    title = models.CharField(_("tên tài liệu"), max_length=255)
    summary = models.TextField(_("tóm tắt"), blank=True)
    file = models.FileField(
        _("tệp"),
        upload_to="network/pss/",
        blank=True,
        validators=[UploadValidator(DOCUMENTS | IMAGES)],
    )
    link = models.URLField(_("đường dẫn"), blank=True)
    published = models.DateField(_("ngày phát hành"))
    agency = agency_field()
    deliverable = deliverable_field()

    class Meta:
        db_table = "network_guidancedocument"  # the table kept its name when the app split
        verbose_name = _("tài liệu hướng dẫn PSS")
        verbose_name_plural = _("tài liệu hướng dẫn PSS")
        ordering = ["-published"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(link=""), name="guidance_file_or_link"
            )
        ]

    def __str__(self) -> str:
        return self.title


class PssPilot(models.Model):
    class Status(models.TextChoices):
        DESIGN = "design", _("Thiết kế")
        RUNNING = "running", _("Đang thí điểm")
        COMPLETED = "completed", _("Hoàn thành")

    name = models.CharField(_("tên mô hình"), max_length=255)
    host = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="pss_pilots",
        verbose_name=_("đơn vị thực hiện"),
    )
    partners = models.TextField(_("đối tác"), blank=True)
    design = models.TextField(_("thiết kế mô hình"), blank=True)
    results = models.TextField(_("kết quả"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DESIGN
    )
    started = models.DateField(_("bắt đầu"))
    completed = models.DateField(_("hoàn thành"), null=True, blank=True)
    workshop = models.ForeignKey(
        "outreach.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hội thảo"),
    )
    agency = agency_field()
    deliverable = deliverable_field()

    class Meta:
        db_table = "network_psspilot"  # the table kept its name when the app split
        verbose_name = _("mô hình thí điểm PSS")
        verbose_name_plural = _("mô hình thí điểm PSS")
        ordering = ["-started"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:pilot", args=[self.pk])
