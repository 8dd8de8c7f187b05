"""Who reaches which traceability master data, and for whom a user may capture events
(registered in `orgs.policy`). Products, places and lots are reached through the
enterprise that owns them, by the registry's scope; capturing is for the city
administrator and agency officers on anyone's behalf, and for an enterprise user on their
own enterprises' behalf."""

from django.db.models import Q

from scpvn.orgs.access import user_has_role
from scpvn.orgs.policy import EVERYTHING, VIEW, register
from scpvn.orgs.roles import ALL_ROLES, Role
from scpvn.registry.models import Enterprise
from scpvn.registry.scopes import enterprise_scope
from scpvn.trace.models import Location, Lot, Product

CAPTURE = "capture"
# Roles that may send events at all; enterprise users only for their own master data.
CAPTURE_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER, Role.ENTERPRISE_USER})


def capture_for(user) -> Q:
    if user_has_role(user, {Role.CITY_ADMIN, Role.AGENCY_OFFICER}):
        return EVERYTHING
    return Q(members=user)


register(Enterprise, CAPTURE, roles=CAPTURE_ROLES, scope=capture_for)
register(Product, VIEW, roles=ALL_ROLES, scope=lambda user: enterprise_scope(user, "enterprise__"))
register(Location, VIEW, roles=ALL_ROLES, scope=lambda user: enterprise_scope(user, "enterprise__"))
register(
    Lot, VIEW, roles=ALL_ROLES, scope=lambda user: enterprise_scope(user, "product__enterprise__")
)
