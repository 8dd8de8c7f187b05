"""Who reaches which questionnaire records, and who answers for which subject (registered
in `orgs.policy`). A response or assignment is reached through its subject, so the
registry's enterprise and place scopes decide; a district or commune officer also reaches
every response filed on their unit."""

from django.db.models import Q

from scpvn.assessments.models import Assignment, PublishedForm, Response, Submission
from scpvn.orgs.access import local_scope
from scpvn.orgs.policy import EVERYTHING, NOTHING, VIEW, register
from scpvn.orgs.roles import ALL_ROLES, STAFF_ROLES, Role
from scpvn.orgs.scopes import agency_owned
from scpvn.registry.models import Enterprise, Place
from scpvn.registry.scopes import LOCAL_ROLES, enterprise_scope, place_scope

ANSWER = "answer"
# Officers who run surveys and inspections; reviewers read them, enterprises answer their own.
OFFICER_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER, Role.DISTRICT_OFFICER})
# Commune and ward officers make visits in their markets too (and only that: they neither
# assign nor publish).
ANSWER_ROLES = OFFICER_ROLES | {Role.COMMUNE_OFFICER, Role.ENTERPRISE_USER}


def subject_scope(user) -> Q:
    """Records about an enterprise or a place the user reaches."""
    by_enterprise = enterprise_scope(user, "enterprise__")
    if by_enterprise == EVERYTHING:
        return EVERYTHING
    return by_enterprise | place_scope(user, "place__")


def assignment_answer_scope(user) -> Q:
    """Assignments a user may answer: an enterprise its own (whoever runs the survey);
    an officer those of an agency they act for, or of none."""
    if user.role == Role.ENTERPRISE_USER and not user.is_superuser:
        return subject_scope(user)
    return agency_owned("agency")(user)


def response_scope(user) -> Q:
    if user.role in LOCAL_ROLES and not user.is_superuser:
        return local_scope(user)
    return subject_scope(user)


register(Response, VIEW, roles=ALL_ROLES, scope=response_scope)
register(Assignment, VIEW, roles=ALL_ROLES, scope=subject_scope)
# Officers answer for subjects in their scope; an enterprise for itself and the places it
# operates. Reviewers only read.
register(Enterprise, ANSWER, roles=ANSWER_ROLES, scope=enterprise_scope)
register(Place, ANSWER, roles=ANSWER_ROLES, scope=place_scope)
# An assignment an agency runs (a survey's sample) is answered by that agency's officers
# and by the subject itself.
register(Assignment, ANSWER, roles=ANSWER_ROLES, scope=assignment_answer_scope)


# Who publishes XLSForms: the city's administrators and the departments' officers.
PUBLISH_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER})
# Who downloads forms to a device and sends visits: officers who answer for places.
FIELD_ROLES = OFFICER_ROLES | {Role.COMMUNE_OFFICER}


def form_scope(user) -> Q:
    """A department's officers reach the forms their agency published; district officers, who
    make the visits on their ground, every form; city administrators everything."""
    if user.role == Role.AGENCY_OFFICER and not user.is_superuser:
        return Q(agency_id=user.agency_id)
    return EVERYTHING


register(PublishedForm, VIEW, roles=FIELD_ROLES | {Role.REVIEWER}, scope=form_scope)


# ---- visits received over OpenRosa: who reads them, who accepts or returns them ------------

REVIEW = "review"
REVIEWER_ROLES = frozenset({Role.CITY_ADMIN, Role.REVIEWER})


def submission_review_scope(user) -> Q:
    """A city administrator reviews every visit; a reviewer those of the forms their own
    agency published (the department that runs the inspection judges its evidence)."""
    if user.has_role(Role.CITY_ADMIN):
        return EVERYTHING
    return Q(form__agency_id=user.agency_id) if user.agency_id else NOTHING


def submission_scope(user) -> Q:
    """Reviewers read what they review; an officer the visits they sent, those on their
    ground (a local officer) and those of their agency's forms (a department's officer)."""
    if user.has_role(Role.CITY_ADMIN):
        return EVERYTHING
    own = Q(submitted_by=user)
    if user.role == Role.REVIEWER:
        return submission_review_scope(user)
    if user.role in LOCAL_ROLES:
        return own | local_scope(user, "response__")
    if user.agency_id:
        return own | Q(form__agency_id=user.agency_id)
    return own


register(Submission, VIEW, roles=STAFF_ROLES, scope=submission_scope)
register(Submission, REVIEW, roles=REVIEWER_ROLES, scope=submission_review_scope)
