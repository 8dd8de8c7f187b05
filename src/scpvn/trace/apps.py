from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.orgs.roles import ALL_ROLES


class TraceConfig(AppConfig):
    name = "scpvn.trace"
    verbose_name = _("Truy xuất nguồn gốc")
    nav = [NavItem(_("Truy xuất nguồn gốc"), "trace:index", ALL_ROLES, order=70)]
