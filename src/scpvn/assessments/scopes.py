"""Who reaches which questionnaire records, and who answers for which subject (registered
in `orgs.policy`). A response or assignment is reached through its subject, so the
registry's enterprise and place scopes decide; a district officer also reaches every
response filed in their district."""

from django.db.models import Q

from scpvn.assessments.models import Assignment, Response
from scpvn.orgs.policy import EVERYTHING, VIEW, register
from scpvn.orgs.roles import ALL_ROLES, Role
from scpvn.registry.models import Enterprise, Place
from scpvn.registry.scopes import enterprise_scope, place_scope

ANSWER = "answer"
# Officers who run surveys and inspections; reviewers read them, enterprises answer their own.
OFFICER_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER, Role.DISTRICT_OFFICER})
ANSWER_ROLES = OFFICER_ROLES | {Role.ENTERPRISE_USER}


def subject_scope(user) -> Q:
    """Records about an enterprise or a place the user reaches."""
    by_enterprise = enterprise_scope(user, "enterprise__")
    if by_enterprise == EVERYTHING:
        return EVERYTHING
    return by_enterprise | place_scope(user, "place__")


def response_scope(user) -> Q:
    if user.role == Role.DISTRICT_OFFICER and not user.is_superuser:
        return Q(district_id=user.district_id)
    return subject_scope(user)


register(Response, VIEW, roles=ALL_ROLES, scope=response_scope)
register(Assignment, VIEW, roles=ALL_ROLES, scope=subject_scope)
# Officers answer for subjects in their scope; an enterprise for itself and the places it
# operates. Reviewers only read.
register(Enterprise, ANSWER, roles=ANSWER_ROLES, scope=enterprise_scope)
register(Place, ANSWER, roles=ANSWER_ROLES, scope=place_scope)
