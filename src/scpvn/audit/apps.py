from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.orgs.roles import Role


class AuditConfig(AppConfig):
    name = "scpvn.audit"
    verbose_name = _("Nhật ký thay đổi")
    nav = [
        NavItem(
            _("Nhật ký thay đổi"),
            "audit:index",
            frozenset({Role.CITY_ADMIN, Role.REVIEWER}),
            order=90,
            group="admin",
        )
    ]
