from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.orgs.roles import ALL_ROLES


class RegistryConfig(AppConfig):
    name = "scpvn.registry"
    verbose_name = _("Doanh nghiệp và cơ sở")
    nav = [NavItem(_("Doanh nghiệp"), "registry:enterprise_list", ALL_ROLES, order=30)]
