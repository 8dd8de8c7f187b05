"""Who reaches, records, edits and reviews which activities (registered in `orgs.policy`).

An agency officer acts for their agency, a district officer for their district and a commune
officer for their commune or ward (each with its People's Committee), city-wide roles for
everyone; reviewers review, they do not record.
"""

from django.db.models import Q

from scpvn.orgs.access import is_city_wide, local_scope, user_has_role
from scpvn.orgs.models import Agency
from scpvn.orgs.policy import CHANGE, EVERYTHING, NOTHING, VIEW, register
from scpvn.orgs.roles import STAFF_ROLES, Role
from scpvn.plans.models import Task
from scpvn.progress.models import Activity

RECORD = "record"
REVIEW = "review"
RECORDER_ROLES = frozenset(
    {Role.CITY_ADMIN, Role.AGENCY_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}
)
REVIEWER_ROLES = frozenset({Role.CITY_ADMIN, Role.REVIEWER})


def acting_agency(user) -> Agency | None:
    """The agency a user records work for: their own, or the People's Committee of their
    district (district officer) or of their commune or ward (commune officer)."""
    if user.role == Role.DISTRICT_OFFICER and user.district_id:
        return Agency.objects.filter(code=f"UBND-{user.district.code}").first()
    if user.role == Role.COMMUNE_OFFICER and user.unit_id:
        return Agency.objects.filter(kind=Agency.Kind.COMMUNE, unit=user.unit_id).first()
    return user.agency


def tasks_of_agency(agency: Agency) -> Q:
    """Tasks an agency takes part in, as lead or partner. A district's (or a commune's)
    People's Committee also takes part where the plan names "the districts" ("the communes
    and wards") as a whole: an agency of that kind placed on no single district or unit,
    like UBNDQH in 2020 and UBNDXP in 2026."""
    condition = Q(lead=agency) | Q(partners=agency)
    as_a_whole = {
        Agency.Kind.DISTRICT: Q(kind=Agency.Kind.DISTRICT, district__isnull=True),
        Agency.Kind.COMMUNE: Q(kind=Agency.Kind.COMMUNE, unit__isnull=True),
    }.get(agency.kind)
    if as_a_whole is not None:
        all_of_them = Agency.objects.filter(as_a_whole)
        condition |= Q(lead__in=all_of_them) | Q(partners__in=all_of_them)
    return condition


def recordable_tasks(user) -> Q:
    """A city administrator records on every task; others on their agency's tasks."""
    if user.has_role(Role.CITY_ADMIN):
        return EVERYTHING
    agency = acting_agency(user)
    return NOTHING if agency is None else tasks_of_agency(agency)


def visible_activities(user) -> Q:
    """City-wide roles see every activity; an agency officer their agency's and those on
    tasks their agency leads (the lead follows its partners' work); a district officer their
    district's, a commune officer those on their unit (`orgs.access.local_scope`)."""
    if is_city_wide(user):
        return EVERYTHING
    if user_has_role(user, {Role.DISTRICT_OFFICER}):
        return local_scope(user) | Q(agency=acting_agency(user))
    if user_has_role(user, {Role.COMMUNE_OFFICER}):
        return local_scope(user) | Q(agency=acting_agency(user))
    if user_has_role(user, {Role.AGENCY_OFFICER}) and user.agency_id:
        return Q(agency=user.agency_id) | Q(task__lead=user.agency_id)
    return NOTHING


def own_activities(user) -> Q:
    """The author's agency edits and submits its own activities (a city administrator
    any); whether the activity is still editable is the service's rule, not a scope."""
    if user.has_role(Role.CITY_ADMIN):
        return EVERYTHING
    agency = acting_agency(user)
    return NOTHING if agency is None else Q(agency=agency)


register(Task, RECORD, roles=RECORDER_ROLES, scope=recordable_tasks)
register(Activity, VIEW, roles=STAFF_ROLES, scope=visible_activities)
register(Activity, CHANGE, roles=RECORDER_ROLES, scope=own_activities)
register(Activity, REVIEW, roles=REVIEWER_ROLES)
