from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.orgs.roles import ALL_ROLES


class NetworkConfig(AppConfig):
    """The green business network's front: its landing page, its `network:` URL namespace
    over the four domain apps (fairs, greenpoints, outreach, surveys), its demo data, and
    the migrations that created the tables those apps still use (`network_*`)."""

    name = "scpvn.network"
    verbose_name = _("Mạng lưới kinh doanh xanh")
    nav = [NavItem(_("Mạng lưới"), "network:index", ALL_ROLES, order=60)]
