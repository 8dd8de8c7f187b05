from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.orgs.roles import STAFF_ROLES


class PlansConfig(AppConfig):
    name = "scpvn.plans"
    verbose_name = _("Kế hoạch")
    nav = [NavItem(_("Kế hoạch"), "plans:list", STAFF_ROLES, order=10, group="plan")]

    def ready(self) -> None:
        from scpvn.plans import revisions

        revisions.connect()
