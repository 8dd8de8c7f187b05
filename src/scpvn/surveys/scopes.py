"""Who sees and runs which surveys (registered in `orgs.policy`): staff see them all;
officers of the surveying agency draw the sample, enter the answers and write the reports."""

from scpvn.orgs.policy import CHANGE, VIEW, register
from scpvn.orgs.roles import OFFICER_ROLES, STAFF_ROLES
from scpvn.orgs.scopes import agency_owned
from scpvn.surveys.models import Survey, SurveyResponse

register(Survey, VIEW, roles=STAFF_ROLES)
register(Survey, CHANGE, roles=OFFICER_ROLES, scope=agency_owned())
register(SurveyResponse, VIEW, roles=STAFF_ROLES)
register(SurveyResponse, CHANGE, roles=OFFICER_ROLES, scope=agency_owned("survey__agency"))
