"""Administrative units. Plan 96 was written for the pre-July-2025 districts; records made
after the 2025 reform name the new wards. Both are kept, with a crosswalk where it is known."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("mã GSO"), max_length=2, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A district-level unit as it stood before 1 July 2025 (quận, huyện, thị xã)."""

    class Kind(models.TextChoices):
        QUAN = "quan", _("Quận")
        HUYEN = "huyen", _("Huyện")
        THI_XA = "thi_xa", _("Thị xã")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    code = models.CharField(_("mã GSO"), max_length=3, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100, db_index=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    latitude = models.FloatField(_("vĩ độ tâm"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ tâm"), null=True, blank=True)
    area_km2 = models.FloatField(_("diện tích (km²)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)

    class Meta:
        verbose_name = _("quận, huyện, thị xã (trước 7/2025)")
        verbose_name_plural = _("quận, huyện, thị xã (trước 7/2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """A commune-level unit of the 2025 two-tier administration (phường, xã, đặc khu)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="wards")
    code = models.CharField(_("mã GSO"), max_length=5, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=20)
    former_districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="successor_wards",
        verbose_name=_("quận, huyện cũ (bảng chuyển đổi)"),
    )

    class Meta:
        verbose_name = _("phường, xã (từ 7/2025)")
        verbose_name_plural = _("phường, xã (từ 7/2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
