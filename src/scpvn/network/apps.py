from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.core.workspace import WorkspaceSection
from scpvn.orgs.roles import ALL_ROLES


class NetworkConfig(AppConfig):
    name = "scpvn.network"
    verbose_name = _("Mạng lưới kinh doanh xanh")
    nav = [NavItem(_("Mạng lưới"), "network:index", ALL_ROLES, order=60)]
    workspace = [
        WorkspaceSection(
            _("Đăng ký hội chợ"),
            "scpvn.network.workspace.application_rows",
            _("Chưa đăng ký hội chợ nào."),
            order=40,
            more_url_name="network:fairs",
        )
    ]
