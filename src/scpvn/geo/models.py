"""Administrative units.

`Unit` is the dated tree of the whole country: the provinces, districts and communes before
the 1 July 2025 reform and the provinces and communes/wards after it, with the official
conversion table as `UnitSuccession`. `Province`, `District` and `Ward` are the rows of the
installed province (setting `SCPVN_PROVINCE`) that records point at today; each is linked to
its unit of the tree, so figures can be rolled up and converted through it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """One administrative unit over the time it existed (valid_from/valid_to inclusive, empty
    when open or unknown). Codes are the official GSO/NSO codes; a 2025 commune often reuses
    the code of the old commune it was built around, so a code names a unit only together with
    its level and dates."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        DISTRICT = "district", _("Quận, huyện, thị xã, thành phố thuộc tỉnh")
        COMMUNE = "commune", _("Xã, phường, thị trấn, đặc khu")

    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    code = models.CharField(_("mã"), max_length=5)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=30)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thuộc"),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    latitude = models.FloatField(_("vĩ độ tâm"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ tâm"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        through="UnitSuccession",
        symmetrical=False,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=models.Q(valid_to__isnull=True),
                name="geo_unit_current_code_unique",
            ),
            models.UniqueConstraint(
                fields=["level", "code", "valid_to"],
                condition=models.Q(valid_to__isnull=False),
                name="geo_unit_ended_code_unique",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_to", "parent"])]

    def __str__(self) -> str:
        return self.name


class UnitSuccession(models.Model):
    """One row of the official conversion table: part or all of `old` went into `new`."""

    old = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="succession_links")
    new = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    whole = models.BooleanField(
        _("nhập toàn bộ"),
        help_text=_("Đơn vị cũ nhập toàn bộ vào đơn vị mới này (không bị chia)."),
    )

    class Meta:
        verbose_name = _("bảng chuyển đổi đơn vị hành chính")
        verbose_name_plural = _("bảng chuyển đổi đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["old", "new"], name="geo_succession_pair_unique")
        ]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class Province(models.Model):
    code = models.CharField(_("mã GSO"), max_length=2, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="province_row"
    )

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
        THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    code = models.CharField(_("mã GSO"), max_length=3, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100, db_index=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    latitude = models.FloatField(_("vĩ độ tâm"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ tâm"), null=True, blank=True)
    area_km2 = models.FloatField(_("diện tích (km²)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)
    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="district_row"
    )

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
    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="ward_row"
    )

    class Meta:
        verbose_name = _("phường, xã (từ 7/2025)")
        verbose_name_plural = _("phường, xã (từ 7/2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
