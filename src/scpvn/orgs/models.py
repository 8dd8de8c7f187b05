"""Agencies and the people who act for them.

A user has exactly one role and, depending on it, the agency or district they act for;
every view and API asks `scpvn.orgs.access` rather than reading these fields itself.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scpvn.orgs.roles import Role


class Agency(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ban, ngành")
        DISTRICT = "district", _("UBND quận, huyện, thị xã")
        COMMUNE = "commune", _("UBND xã, phường")
        CITY = "city", _("UBND Thành phố")
        MINISTRY = "ministry", _("Bộ, ngành trung ương")
        MEDIA = "media", _("Cơ quan báo chí, truyền thông")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")
        OTHER = "other", _("Khác")

    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("quận, huyện"),
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("xã, phường"),
        help_text=_("Cho UBND một xã, phường (từ 1/7/2025)."),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(
        _("vai trò"), max_length=20, choices=Role.choices, default=Role.ENTERPRISE_USER
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("cơ quan"),
    )
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("quận, huyện"),
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("xã, phường"),
        help_text=_("Đơn vị hành chính mà cán bộ xã, phường phụ trách."),
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in (Role.AGENCY_OFFICER, Role.REVIEWER) and not self.agency_id:
            raise ValidationError({"agency": _("Vai trò này phải gắn với một cơ quan.")})
        if self.role == Role.DISTRICT_OFFICER and not self.district_id:
            raise ValidationError(
                {"district": _("Cán bộ quận, huyện phải gắn với một quận, huyện.")}
            )
        if self.role == Role.COMMUNE_OFFICER and not self.unit_id:
            raise ValidationError({"unit": _("Cán bộ xã, phường phải gắn với một xã, phường.")})

    def has_role(self, *roles: str) -> bool:
        """Superusers hold every role: they are the ones who set the others up."""
        return self.is_active and (self.is_superuser or self.role in roles)

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username
