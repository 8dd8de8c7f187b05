"""Enterprises and the places the plan targets.

`Enterprise` is the shared anchor: surveys, traceability products, fair applications and
green-business points all point at it; enterprise users act for the enterprises they are
members of. VSIC codes and industrial zones are reference data shipped with the code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scpvn.core.files import UploadValidator


class VsicCode(models.Model):
    """One code of the VSIC 2018 classification, at any of its five levels."""

    code = models.CharField(_("mã"), max_length=5, primary_key=True)
    level = models.PositiveSmallIntegerField(_("cấp"))
    parent = models.CharField(_("mã cấp trên"), max_length=5, blank=True)
    name_vi = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("mã ngành VSIC 2018")
        verbose_name_plural = _("mã ngành VSIC 2018")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"


class IndustrialZone(models.Model):
    class Kind(models.TextChoices):
        KCN = "kcn", _("Khu công nghiệp")
        CCN = "ccn", _("Cụm công nghiệp")
        CNC = "khu_cnc", _("Khu công nghệ cao")

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="industrial_zones"
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="industrial_zones",
        verbose_name=_("đơn vị hành chính"),
        help_text=_("Phường, xã từ 1/7/2025; quận, huyện hoặc xã cũ cho hồ sơ trước đó."),
    )
    area_ha = models.FloatField(_("diện tích (ha)"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("khu, cụm công nghiệp")
        verbose_name_plural = _("khu, cụm công nghiệp")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    class Size(models.TextChoices):
        MICRO = "micro", _("Siêu nhỏ")
        SMALL = "small", _("Nhỏ")
        MEDIUM = "medium", _("Vừa")
        LARGE = "large", _("Lớn")

    class Distribution(models.TextChoices):
        SUPERMARKET = "supermarket", _("Siêu thị")
        MALL = "mall", _("Trung tâm thương mại")
        CONVENIENCE = "convenience", _("Cửa hàng tiện lợi")
        WHOLESALER = "wholesaler", _("Bán buôn")
        MARKET_TRADER = "market_trader", _("Tiểu thương chợ")

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
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("quận, huyện (trước 7/2025)"),
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("đơn vị hành chính"),
        help_text=_("Phường, xã từ 1/7/2025; quận, huyện hoặc xã cũ cho hồ sơ trước đó."),
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
    size = models.CharField(_("quy mô"), max_length=10, choices=Size.choices, blank=True)
    industrial_zone = models.ForeignKey(
        IndustrialZone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("KCN/CCN"),
    )
    distribution = models.CharField(
        _("loại hình phân phối"), max_length=20, choices=Distribution.choices, blank=True
    )
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
        # the list's order, tie broken by id so pages never overlap, read from the index
        # below: a page costs the same at 5,000 enterprises as at 100,000
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="registry_enterprise_name_id")]
        # and on PostgreSQL only, the search's trigram index (migration 0013, not declared
        # here: SQLite could not build it)

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"


class Place(models.Model):
    """A market, supermarket or shopping centre: where inspections happen."""

    class Kind(models.TextChoices):
        MARKET = "market", _("Chợ dân sinh")
        SUPERMARKET = "supermarket", _("Siêu thị")
        MALL = "mall", _("Trung tâm thương mại")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Đã vào sổ")
        PENDING = "pending", _("Chờ xác nhận")

    class MarketClass(models.IntegerChoices):
        FIRST = 1, _("Hạng 1")
        SECOND = 2, _("Hạng 2")
        THIRD = 3, _("Hạng 3")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, db_index=True)
    name = models.CharField(_("tên"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("quận, huyện (trước 7/2025)"),
        help_text=_("Chỉ cho hồ sơ trước 1/7/2025; từ đó nơi được đặt theo phường, xã."),
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("đơn vị hành chính"),
        help_text=_("Phường, xã từ 1/7/2025; quận, huyện hoặc xã cũ cho hồ sơ trước đó."),
    )
    ward = models.ForeignKey(
        "geo.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("phường, xã"),
    )
    market_class = models.PositiveSmallIntegerField(
        _("hạng chợ"), choices=MarketClass.choices, null=True, blank=True
    )
    operator = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("đơn vị quản lý, vận hành"),
    )
    # Where it is: a visit's GPS is checked against this point.
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    # A place named by an officer's visit and not yet checked by a reviewer: in the officer's
    # lists, but counted nowhere (visits there, indicators' denominators) until confirmed.
    status = models.CharField(
        _("tình trạng trong sổ"),
        max_length=20,
        choices=Status.choices,
        default=Status.REGISTERED,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người đề xuất"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chợ, siêu thị, TTTM")
        verbose_name_plural = _("chợ, siêu thị, TTTM")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="market") | models.Q(market_class__isnull=True),
                name="market_class_only_for_markets",
            ),
            # since the reform a place is on its ward or commune alone; before, on a district
            models.CheckConstraint(
                condition=models.Q(district__isnull=False) | models.Q(unit__isnull=False),
                name="place_on_the_map",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """One uploaded registry file and what became of it; the page polls it for progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        VALIDATING = "validating", _("Đang kiểm tra")
        WRITING = "writing", _("Đang ghi")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Có lỗi")

    file = models.FileField(
        _("tệp"),
        upload_to="registry/imports/%Y/%m/",
        validators=[UploadValidator({"xlsx", "csv"})],
    )
    original_name = models.CharField(_("tên tệp"), max_length=255)
    dry_run = models.BooleanField(_("chỉ kiểm tra"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    # Why the job stopped when it crashed or went stale (not a row problem); empty otherwise.
    failure = models.TextField(_("lý do dừng"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Touched at every progress step; a running job whose heartbeat is older than
    # SCPVN_IMPORT_STALE_SECONDS died with its process.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.FAILED):
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class ImportProblem(models.Model):
    """One problem of an import job, stored as a row so a million-row file's problems are
    paged, not one JSON value reloaded on every poll."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problem_rows")
    row = models.PositiveIntegerField(_("dòng"))
    column = models.CharField(_("cột"), max_length=100, blank=True)
    value = models.CharField(_("giá trị"), max_length=500, blank=True)
    reason = models.CharField(_("lý do"), max_length=1000)

    class Meta:
        verbose_name = _("lỗi nhập dữ liệu")
        verbose_name_plural = _("lỗi nhập dữ liệu")
        ordering = ["job", "id"]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row} {self.reason}"
