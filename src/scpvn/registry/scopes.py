"""Who reaches which enterprises and places (registered in `orgs.policy`).

City-wide roles and agency officers reach every enterprise; a district officer those in
their district; an enterprise user the enterprises they are a member of, and the places
those enterprises operate. Other apps scope their records through these (an assessment
response, a traced product) rather than restating them.
"""

from django.db.models import Q

from scpvn.orgs.access import user_has_role
from scpvn.orgs.policy import EVERYTHING, VIEW, register
from scpvn.orgs.roles import ALL_ROLES, Role
from scpvn.registry.models import Enterprise, Place

WHOLE_CITY = frozenset({Role.CITY_ADMIN, Role.REVIEWER, Role.AGENCY_OFFICER})


def enterprise_scope(user, prefix: str = "") -> Q:
    """The enterprises a user reaches, as a Q over a model whose `prefix` leads to one."""
    if user_has_role(user, WHOLE_CITY):
        return EVERYTHING
    if user.role == Role.DISTRICT_OFFICER:
        return Q(**{f"{prefix}district_id": user.district_id})
    return Q(**{f"{prefix}members": user})


def place_scope(user, prefix: str = "") -> Q:
    """A place belongs to its district; an enterprise user reaches what they operate."""
    if user_has_role(user, WHOLE_CITY):
        return EVERYTHING
    if user.role == Role.DISTRICT_OFFICER:
        return Q(**{f"{prefix}district_id": user.district_id})
    return Q(**{f"{prefix}operator__members": user})


register(Enterprise, VIEW, roles=ALL_ROLES, scope=enterprise_scope)
register(Place, VIEW, roles=ALL_ROLES, scope=place_scope)
