"""Who compiles and reviews which report (registered in `orgs.policy`). The reporting
agency's officers (and city administrators) compile and submit; reviewers review. Sections
are written by the agencies that record on the task (progress's `record` rule on Task)."""

from django.db.models import Q

from scpvn.orgs.policy import EVERYTHING, NOTHING, register
from scpvn.orgs.roles import Role
from scpvn.progress.scopes import REVIEW, REVIEWER_ROLES
from scpvn.reports.models import Report

COMPILE = "compile"
COMPILER_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER})


def compiled_reports(user) -> Q:
    if user.has_role(Role.CITY_ADMIN):
        return EVERYTHING
    return Q(duty__by=user.agency_id) if user.agency_id else NOTHING


register(Report, COMPILE, roles=COMPILER_ROLES, scope=compiled_reports)
register(Report, REVIEW, roles=REVIEWER_ROLES)
