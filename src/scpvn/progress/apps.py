from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.orgs.roles import STAFF_ROLES


class ProgressConfig(AppConfig):
    name = "scpvn.progress"
    verbose_name = _("Tiến độ thực hiện")
    nav = [
        NavItem(_("Tiến độ"), "progress:dashboard", STAFF_ROLES, order=5, group="plan"),
        NavItem(_("Nhiệm vụ của tôi"), "progress:my_tasks", STAFF_ROLES, order=20, group="plan"),
        NavItem(_("Hoạt động"), "progress:activities", STAFF_ROLES, order=25, group="plan"),
    ]

    def ready(self) -> None:
        from scpvn.plans.revisions import watch
        from scpvn.progress.models import Activity

        # what counts toward a plan's deliverables is shown on its pages
        watch(Activity, lambda activity: {"tasks": activity.task_id})
