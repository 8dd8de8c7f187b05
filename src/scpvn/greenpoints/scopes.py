"""Who sees and handles which green business points (registered in `orgs.policy`): staff
see them all; the officers of the lead agency of the task a point counts toward assess and
certify it (a point counted nowhere, any officer)."""

from scpvn.greenpoints.models import GreenPoint
from scpvn.orgs.policy import CHANGE, VIEW, register
from scpvn.orgs.roles import OFFICER_ROLES, STAFF_ROLES
from scpvn.orgs.scopes import agency_owned

register(GreenPoint, VIEW, roles=STAFF_ROLES)
register(GreenPoint, CHANGE, roles=OFFICER_ROLES, scope=agency_owned("deliverable__task__lead"))
