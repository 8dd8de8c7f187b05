"""Who may run the network's programmes, asked by every network write service.

Pages, the API, the CLI and the demo all call the services, and the services ask here, so
a refusal is the same wherever the request comes from: an agency officer acts only for
their own agency's fairs, events, media, PSS and surveys; a city administrator for all.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from scpvn.orgs.access import is_city_wide, user_has_role
from scpvn.orgs.models import Agency
from scpvn.orgs.roles import Role

OFFICER_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER})


def acting_agencies(user) -> QuerySet[Agency]:
    """City administrators act for every agency; an agency officer only for their own, so
    one department cannot change another's fairs, events or media."""
    if not user_has_role(user, OFFICER_ROLES):
        return Agency.objects.none()
    if is_city_wide(user):
        return Agency.objects.all()
    return Agency.objects.filter(pk=user.agency_id)


def require_officer(user, agency_id: int | None) -> None:
    """Refuse unless `user` is an officer acting for `agency_id` (None: a record no agency
    owns, which any officer may handle)."""
    if not user_has_role(user, OFFICER_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ quản lý mới được thực hiện thao tác này."))
    if agency_id is not None and not acting_agencies(user).filter(pk=agency_id).exists():
        raise PermissionDenied(_("Bạn chỉ được thao tác trên hồ sơ của cơ quan mình."))
