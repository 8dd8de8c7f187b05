from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.orgs.roles import ALL_ROLES


class AssessmentsConfig(AppConfig):
    name = "scpvn.assessments"
    verbose_name = _("Khảo sát và kiểm tra")
    nav = [NavItem(_("Khảo sát, kiểm tra"), "assessments:questionnaire_list", ALL_ROLES, order=35)]
