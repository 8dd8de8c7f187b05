"""Every API endpoint decides by role: a viewset without `HasRole` (or a subclass) would
fall back to 'any signed-in user', enterprise accounts included."""

from rest_framework.permissions import OperandHolder

from scpvn.api_router import router
from scpvn.orgs.access import HasRole


def permission_classes(entries) -> list[type]:
    found = []
    for entry in entries:
        if isinstance(entry, OperandHolder):
            found += permission_classes([entry.op1_class, entry.op2_class])
        else:
            found.append(entry)
    return found


def test_every_viewset_checks_roles():
    unchecked = [
        f"{prefix}: {viewset.__qualname__}"
        for prefix, viewset, _basename in router.registry
        if not any(
            isinstance(cls, type) and issubclass(cls, HasRole)
            for cls in permission_classes(viewset.permission_classes)
        )
    ]
    assert not unchecked, f"API viewsets without HasRole: {unchecked}"
