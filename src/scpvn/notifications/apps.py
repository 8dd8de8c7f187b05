from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.orgs.roles import STAFF_ROLES


class NotificationsConfig(AppConfig):
    """In-app messages and their e-mail copy: a service every app below reports and above
    progress uses to tell a person something once."""

    name = "scpvn.notifications"
    verbose_name = _("Thông báo")
    nav = [NavItem(_("Thông báo"), "notifications:list", STAFF_ROLES, order=92, group="admin")]
