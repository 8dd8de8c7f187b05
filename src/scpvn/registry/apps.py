from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scpvn.core.navigation import NavItem
from scpvn.core.workspace import WorkspaceSection
from scpvn.orgs.roles import ALL_ROLES, Role


class RegistryConfig(AppConfig):
    name = "scpvn.registry"
    verbose_name = _("Doanh nghiệp và cơ sở")
    nav = [
        NavItem(_("Trang của tôi"), "registry:workspace", frozenset({Role.ENTERPRISE_USER}), 1),
        NavItem(
            pgettext_lazy("plural", "Doanh nghiệp"),
            "registry:enterprise_list",
            ALL_ROLES,
            30,
            "enterprise",
        ),
    ]
    workspace = [
        WorkspaceSection(
            _("Doanh nghiệp của tôi"),
            "scpvn.registry.workspace.enterprise_rows",
            _("Tài khoản chưa gắn với doanh nghiệp nào."),
            order=10,
        )
    ]
