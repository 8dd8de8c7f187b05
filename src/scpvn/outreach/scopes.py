"""Who sees and runs which outreach records (registered in `orgs.policy`): staff see every
event, media item, guidance document and pilot; officers change those of the agencies they
act for."""

from scpvn.orgs.policy import CHANGE, VIEW, register
from scpvn.orgs.roles import OFFICER_ROLES, STAFF_ROLES
from scpvn.orgs.scopes import agency_owned
from scpvn.outreach.models import Event, GuidanceDocument, MediaItem, PssPilot

for model in (Event, MediaItem, GuidanceDocument, PssPilot):
    register(model, VIEW, roles=STAFF_ROLES)
    register(model, CHANGE, roles=OFFICER_ROLES, scope=agency_owned())
