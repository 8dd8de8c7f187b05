"""Who sees and runs which fairs (registered in `orgs.policy`): every signed-in user sees
the fairs and chains; officers change those of the agencies they act for, and the
applications to them. An enterprise user sees their own enterprises' applications."""

from scpvn.fairs.models import Chain, FairApplication, FairEvent
from scpvn.orgs.policy import CHANGE, VIEW, register
from scpvn.orgs.roles import ALL_ROLES, OFFICER_ROLES, STAFF_ROLES
from scpvn.orgs.scopes import agency_owned
from scpvn.registry.scopes import enterprise_scope

register(Chain, VIEW, roles=STAFF_ROLES)
register(Chain, CHANGE, roles=OFFICER_ROLES, scope=agency_owned())
register(FairEvent, VIEW, roles=ALL_ROLES)
register(FairEvent, CHANGE, roles=OFFICER_ROLES, scope=agency_owned())
register(
    FairApplication,
    VIEW,
    roles=ALL_ROLES,
    scope=lambda user: enterprise_scope(user, prefix="enterprise__"),
)
register(FairApplication, CHANGE, roles=OFFICER_ROLES, scope=agency_owned("event__agency"))
