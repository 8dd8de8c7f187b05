"""Who may see and do what. Views and APIs ask here; no view reads `user.role` itself.

Roles come from `Role`; scopes narrow them: an agency officer acts for one agency, a
district officer for one district, an enterprise user for the enterprises linked to it.
"""

from collections.abc import Iterable

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from scpvn.orgs.roles import ADMIN_ROLES, ALL_ROLES, STAFF_ROLES, Role

__all__ = ["ADMIN_ROLES", "ALL_ROLES", "STAFF_ROLES", "HasRole", "Role", "RoleRequiredMixin"]


def user_has_role(user, roles: Iterable[str]) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*roles))


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
