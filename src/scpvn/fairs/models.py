"""Fairs and connection chains (task 3): events with a booth layout, enterprise applications,
allocation, a waiting list, check-in, visitors and reported sales."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scpvn.core.paging import in_model_order
from scpvn.plans.fields import agency_field, deliverable_field


class Chain(models.Model):
    """A connection chain groups the fairs of one sector group; it counts once it has held
    a fair."""

    name = models.CharField(_("tên chuỗi"), max_length=255)
    sectors = models.TextField(_("nhóm ngành, lĩnh vực"), blank=True)
    agency = agency_field()
    deliverable = deliverable_field()

    class Meta:
        db_table = "network_chain"  # the table kept its name when the app split
        verbose_name = _("chuỗi kết nối")
        verbose_name_plural = _("chuỗi kết nối")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FairEventQuerySet(models.QuerySet):
    def with_allocated(self) -> "FairEventQuerySet":
        """Each fair with `allocated`, the booths given out, counted in the same query: a
        count per fair made a list of fairs one query longer per row. In its order: Django
        leaves the model's ordering out of a query with GROUP BY."""
        return in_model_order(
            self.annotate(
                allocated=models.Count(
                    "applications",
                    filter=models.Q(applications__status=FairApplication.Status.ALLOCATED),
                )
            )
        )


class FairEvent(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Nhận đăng ký")
        HELD = "held", _("Đã tổ chức")
        CANCELLED = "cancelled", _("Đã hủy")

    chain = models.ForeignKey(
        Chain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("chuỗi"),
    )
    name = models.CharField(_("tên hội chợ"), max_length=255)
    venue = models.CharField(_("địa điểm"), max_length=255)
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("quận, huyện")
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fairs",
        verbose_name=_("đơn vị hành chính"),
        help_text=_("Phường, xã từ 1/7/2025; quận, huyện hoặc xã cũ cho hồ sơ trước đó."),
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    capacity = models.PositiveIntegerField(_("số gian hàng"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    visitors = models.PositiveIntegerField(_("lượt khách"), null=True, blank=True)
    agency = agency_field()
    deliverable = deliverable_field(_("sản phẩm đầu ra (gian hàng)"))
    history = HistoricalRecords(table_name="network_historicalfairevent")
    objects = FairEventQuerySet.as_manager()

    class Meta:
        db_table = "network_fairevent"  # the table kept its name when the app split
        verbose_name = _("hội chợ, phiên kết nối")
        verbose_name_plural = _("hội chợ, phiên kết nối")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="fair_dates_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:fair", args=[self.pk])


class Booth(models.Model):
    """One place in the fair's layout; the layout list is the event's booths."""

    event = models.ForeignKey(FairEvent, on_delete=models.CASCADE, related_name="booths")
    code = models.CharField(_("mã gian"), max_length=10)
    zone = models.CharField(_("khu"), max_length=100, blank=True)

    class Meta:
        db_table = "network_booth"  # the table kept its name when the app split
        verbose_name = _("gian hàng")
        verbose_name_plural = _("gian hàng")
        ordering = ["event", "code"]
        constraints = [models.UniqueConstraint(fields=["event", "code"], name="booth_code")]

    def __str__(self) -> str:
        return self.code


class FairApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ xét")
        ALLOCATED = "allocated", _("Đã xếp gian")
        WAITLISTED = "waitlisted", _("Danh sách chờ")
        REJECTED = "rejected", _("Từ chối")
        WITHDRAWN = "withdrawn", _("Rút đăng ký")

    event = models.ForeignKey(FairEvent, on_delete=models.CASCADE, related_name="applications")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.PROTECT,
        related_name="fair_applications",
        verbose_name=_("doanh nghiệp"),
    )
    products = models.TextField(_("sản phẩm trưng bày"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    # One booth holds one application: the database refuses a second, whatever the code does.
    booth = models.OneToOneField(
        Booth,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("gian hàng"),
    )
    checked_in_at = models.DateTimeField(_("có mặt lúc"), null=True, blank=True)
    reported_sales = models.DecimalField(
        _("doanh thu báo cáo (đồng)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords(table_name="network_historicalfairapplication")

    class Meta:
        db_table = "network_fairapplication"  # the table kept its name when the app split
        verbose_name = _("đăng ký gian hàng")
        verbose_name_plural = _("đăng ký gian hàng")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "enterprise"], name="one_application_per_fair")
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.enterprise.name}"
