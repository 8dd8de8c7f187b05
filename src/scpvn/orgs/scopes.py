"""For which agencies a user acts (registered in `orgs.policy`), and the scope every
agency-owned record of the network's programmes shares.

A city administrator acts for every agency; an agency officer only for their own, so one
department cannot change another's fairs, events, media, green points or surveys. A record
no agency owns may be handled by any officer. The network apps declare their rules with
`agency_owned(path)` in their own `scopes.py`, so the rule stays here, once.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from scpvn.orgs.models import Agency
from scpvn.orgs.policy import CHANGE, EVERYTHING, check, check_role, register, restrict
from scpvn.orgs.roles import OFFICER_ROLES, Role

ACT_FOR = "act_for"


def represented_agencies(user) -> Q:
    """The agencies a user acts for: all for a city administrator, else their own."""
    if user.has_role(Role.CITY_ADMIN):
        return EVERYTHING
    return Q(pk=user.agency_id)


def agency_owned(path: str = "agency"):
    """A scope over a model whose `path` leads to the owning agency: rows of an agency the
    user acts for, and rows no agency owns."""

    def scope(user) -> Q:
        acted_for = restrict(Agency.objects.all(), user, ACT_FOR)
        return Q(**{f"{path}__in": acted_for}) | Q(**{f"{path}__isnull": True})

    return scope


register(Agency, ACT_FOR, roles=OFFICER_ROLES, scope=represented_agencies)


def check_owned(user, obj, code: str) -> None:
    """Refuse (`Denied` with `code`) unless the user may change this agency-owned record.
    The stored row decides: an edit cannot move a record out of another agency's hands."""
    check(user, CHANGE, obj, _("Bạn chỉ được thao tác trên hồ sơ của cơ quan mình."), code)


def check_acts_for(user, agency: Agency | None, code: str) -> None:
    """Refuse unless the user may give a record to `agency` (a new record, or an edit that
    names its owner): an officer acting for it, or any officer for a record no agency owns."""
    message = _("Bạn chỉ được thao tác trên hồ sơ của cơ quan mình.")
    if agency is None:
        check_role(
            user, OFFICER_ROLES, _("Chỉ cán bộ quản lý mới được thực hiện thao tác này."), code
        )
    else:
        check(user, ACT_FOR, agency, message, code)
