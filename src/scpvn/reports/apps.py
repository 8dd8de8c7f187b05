from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.orgs.roles import STAFF_ROLES, Role


class ReportsConfig(AppConfig):
    name = "scpvn.reports"
    verbose_name = _("Báo cáo")
    nav = [
        NavItem(_("Báo cáo"), "reports:list", STAFF_ROLES, order=28, group="plan"),
        NavItem(_("Sổ văn bản đi"), "reports:register", STAFF_ROLES, order=29, group="plan"),
        NavItem(
            _("Báo cáo kiểm tra"),
            "reports:inspections",
            frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER, Role.REVIEWER}),
            order=30,
            group="plan",
        ),
    ]
