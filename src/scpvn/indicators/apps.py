from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.orgs.roles import STAFF_ROLES


class IndicatorsConfig(AppConfig):
    name = "scpvn.indicators"
    verbose_name = _("Chỉ tiêu")
    nav = [
        NavItem(_("Chỉ tiêu"), "indicators:dashboard", STAFF_ROLES, order=40, group="enterprise")
    ]

    def ready(self) -> None:
        from scpvn.indicators.methods import PARAMS, check_params
        from scpvn.indicators.signals import connect
        from scpvn.plans.methods import register_method

        connect()
        for kind in PARAMS:
            register_method(kind, lambda params, kind=kind: check_params(kind, params))
