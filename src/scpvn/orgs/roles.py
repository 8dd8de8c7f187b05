"""Roles and role sets, importable before the app registry is ready (AppConfig menus use them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("Quản trị thành phố")
    AGENCY_OFFICER = "agency_officer", _("Cán bộ sở, ngành")
    DISTRICT_OFFICER = "district_officer", _("Cán bộ quận, huyện")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã, phường")
    REVIEWER = "reviewer", _("Lãnh đạo duyệt")
    ENTERPRISE_USER = "enterprise_user", _("Doanh nghiệp")


STAFF_ROLES = frozenset(
    {
        Role.CITY_ADMIN,
        Role.AGENCY_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.COMMUNE_OFFICER,
        Role.REVIEWER,
    }
)
ALL_ROLES = STAFF_ROLES | {Role.ENTERPRISE_USER}
ADMIN_ROLES = frozenset({Role.CITY_ADMIN})
#: Who runs the network's programmes (fairs, green points, outreach, surveys).
OFFICER_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER})
