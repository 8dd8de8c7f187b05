"""Enterprises and the places the plan targets.

`Enterprise` is the shared anchor: surveys, traceability products, fair applications and
green-business points all point at it; enterprise users act for the enterprises they are
members of.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Enterprise(models.Model):
    tax_code = models.CharField(
        _("mã số thuế"),
        max_length=14,
        unique=True,
        help_text=_("10 chữ số, hoặc 13 chữ số dạng 0123456789-001 cho chi nhánh"),
    )
    name = models.CharField(_("tên doanh nghiệp"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("quận, huyện"),
    )
    ward = models.ForeignKey(
        "geo.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("phường, xã"),
    )
    vsic_code = models.CharField(_("mã ngành VSIC"), max_length=5, db_index=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="enterprises",
        verbose_name=_("tài khoản doanh nghiệp"),
    )
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("doanh nghiệp")
        verbose_name_plural = _("doanh nghiệp")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"
