from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.core.workspace import WorkspaceSection
from scpvn.orgs.roles import ALL_ROLES, Role


class AssessmentsConfig(AppConfig):
    name = "scpvn.assessments"
    verbose_name = _("Khảo sát và kiểm tra")
    nav = [
        NavItem(
            _("Khảo sát"), "assessments:questionnaire_list", ALL_ROLES, order=35, group="enterprise"
        ),
        NavItem(
            _("Biểu mẫu XLSForm"),
            "assessments:form_list",
            frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER, Role.DISTRICT_OFFICER, Role.REVIEWER}),
            order=36,
            group="enterprise",
        ),
        NavItem(
            _("Lượt kiểm tra hiện trường"),
            "assessments:visit_list",
            frozenset({Role.CITY_ADMIN, Role.REVIEWER, Role.AGENCY_OFFICER, Role.DISTRICT_OFFICER}),
            order=37,
            group="enterprise",
        ),
    ]
    workspace = [
        WorkspaceSection(
            _("Phiếu khảo sát cần trả lời"),
            "scpvn.assessments.workspace.open_survey_rows",
            _("Không có phiếu nào đang chờ."),
            order=20,
            more_url_name="assessments:questionnaire_list",
        )
    ]
