"""Who may see and do what. Views and APIs ask here; no view reads `user.role` itself.

Roles come from `Role`; scopes narrow them: an agency officer acts for one agency, a
district officer for one district, a commune officer for one unit of the map (a 2025 ward
or commune), an enterprise user for the enterprises linked to it.
"""

from collections.abc import Iterable

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from rest_framework.permissions import BasePermission

from scpvn.orgs.roles import ADMIN_ROLES, ALL_ROLES, STAFF_ROLES, Role

__all__ = ["ADMIN_ROLES", "ALL_ROLES", "STAFF_ROLES", "HasRole", "Role", "RoleRequiredMixin"]


def user_has_role(user, roles: Iterable[str]) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*roles))


def unit_scope(user) -> list[int] | None:
    """Ids of the units whose records a local officer sees: a commune officer's unit, a
    district officer's old district, each with the units below it; None for a user whose
    scope is not a place on the map."""
    from scpvn.geo.placing import district_unit_id, units_under

    role = getattr(user, "role", None)
    if role == Role.COMMUNE_OFFICER:
        return units_under(user.unit_id)
    if role == Role.DISTRICT_OFFICER and user.district_id:
        return units_under(district_unit_id(user.district_id))
    return None


def local_scope(user, prefix: str = "") -> Q:
    """Records of a local officer's place on the map: on their unit or a unit below it, and
    for a district officer also those filed under their old district. `prefix` reaches the
    record through a relation ("enterprise__")."""
    condition = Q(**{f"{prefix}unit_id__in": unit_scope(user) or []})
    if user.role == Role.DISTRICT_OFFICER:
        condition |= Q(**{f"{prefix}district_id": user.district_id})
    return condition


def is_city_wide(user) -> bool:
    """City administrators and reviewers see every agency's and district's records."""
    return user_has_role(user, {Role.CITY_ADMIN, Role.REVIEWER})


class RoleRequiredMixin(LoginRequiredMixin):
    """Signed-in users whose role is in `allowed_roles`; others get 403, anonymous a login."""

    allowed_roles: frozenset[str] = STAFF_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_has_role(request.user, self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HasRole(BasePermission):
    """DRF permission reading `allowed_roles` from the view (default: staff), plus
    `write_roles` for unsafe methods when the view sets it."""

    message = "Bạn không có quyền truy cập tài nguyên này (permission denied)."

    def has_permission(self, request, view) -> bool:
        roles = getattr(view, "allowed_roles", STAFF_ROLES)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            roles = getattr(view, "write_roles", roles)
        return user_has_role(request.user, roles)
