"""Who compiles, reviews and issues which report, and who reads the outgoing-document
register (registered in `orgs.policy`). The reporting agency's officers (and city
administrators) compile and submit; reviewers review; a city administrator, or a reviewer of
the reporting agency, signs and issues (those who approve sign). Sections are written by the
agencies that record on the task (progress's `record` rule on Task). An inspection report is
built and read by the officers of its agency (the lead of its task) and city administrators,
and issued by those of them who sign; so is a survey's sector or summary report."""

from django.db.models import Q

from scpvn.orgs.policy import EVERYTHING, ISSUE, NOTHING, VIEW, register
from scpvn.orgs.roles import STAFF_ROLES, Role
from scpvn.progress.scopes import REVIEW, REVIEWER_ROLES
from scpvn.reports.models import InspectionReport, IssuedDocument, Report
from scpvn.surveys.models import SurveyReport

COMPILE = "compile"
COMPILER_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER})
ISSUER_ROLES = frozenset({Role.CITY_ADMIN, Role.REVIEWER})


def compiled_reports(user) -> Q:
    if user.has_role(Role.CITY_ADMIN):
        return EVERYTHING
    return Q(duty__by=user.agency_id) if user.agency_id else NOTHING


register(Report, COMPILE, roles=COMPILER_ROLES, scope=compiled_reports)
register(Report, REVIEW, roles=REVIEWER_ROLES)


def issued_reports(user) -> Q:
    if user.has_role(Role.CITY_ADMIN):
        return EVERYTHING
    return Q(duty__by=user.agency_id) if user.agency_id else NOTHING


def register_lines(user) -> Q:
    """City administrators and reviewers read every agency's register, other staff their own
    agency's."""
    if user.has_role(Role.CITY_ADMIN, Role.REVIEWER):
        return EVERYTHING
    return Q(register__agency=user.agency_id) if user.agency_id else NOTHING


register(Report, ISSUE, roles=ISSUER_ROLES, scope=issued_reports)
register(IssuedDocument, VIEW, roles=STAFF_ROLES, scope=register_lines)


INSPECTION_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER, Role.REVIEWER})


def own_agency_inspection_reports(user) -> Q:
    if user.has_role(Role.CITY_ADMIN):
        return EVERYTHING
    return Q(agency=user.agency_id) if user.agency_id else NOTHING


register(InspectionReport, VIEW, roles=INSPECTION_ROLES, scope=own_agency_inspection_reports)
register(InspectionReport, ISSUE, roles=ISSUER_ROLES, scope=own_agency_inspection_reports)


def own_agency_surveys(user) -> Q:
    if user.has_role(Role.CITY_ADMIN):
        return EVERYTHING
    return Q(survey__agency=user.agency_id) if user.agency_id else NOTHING


# A survey's sector and summary reports are signed by the surveying agency's reviewers (and
# city administrators), as its other reports.
register(SurveyReport, ISSUE, roles=ISSUER_ROLES, scope=own_agency_surveys)
