"""Registry rules shared by every app that deals with enterprises."""

from django.db.models import QuerySet

from scpvn.orgs.access import is_city_wide, user_has_role
from scpvn.orgs.roles import STAFF_ROLES, Role
from scpvn.registry.models import Enterprise


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """City-wide roles and agency officers see every enterprise; a district officer those in
    their district; an enterprise user only the enterprises they are a member of."""
    if not user_has_role(user, STAFF_ROLES | {Role.ENTERPRISE_USER}):
        return Enterprise.objects.none()
    if is_city_wide(user) or user_has_role(user, {Role.AGENCY_OFFICER}):
        return Enterprise.objects.all()
    if user.role == Role.DISTRICT_OFFICER:
        return Enterprise.objects.filter(district_id=user.district_id)
    return Enterprise.objects.filter(members=user)
