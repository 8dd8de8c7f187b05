from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem


class PortalConfig(AppConfig):
    name = "scpvn.portal"
    verbose_name = _("Cổng công khai")
    # every signed-in user; anonymous visitors reach it from the site root
    nav = [NavItem(_("Cổng công khai"), "portal:index", frozenset(), order=95, group="admin")]
