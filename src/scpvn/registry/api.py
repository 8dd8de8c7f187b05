from rest_framework import viewsets

from scpvn.orgs.access import ALL_ROLES, HasRole
from scpvn.registry.filtersets import EnterpriseFilterSet, PlaceFilterSet
from scpvn.registry.serializers import EnterpriseSerializer, PlaceSerializer
from scpvn.registry.services import enterprises_visible_to, places_visible_to


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """Enterprises in the caller's scope (their district, or their own enterprise)."""

    serializer_class = EnterpriseSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["name", "tax_code"]

    def get_queryset(self):
        return enterprises_visible_to(self.request.user).select_related(
            "district", "unit", "industrial_zone"
        )


class PlaceViewSet(viewsets.ReadOnlyModelViewSet):
    """Markets, supermarkets and shopping centres in the caller's scope."""

    serializer_class = PlaceSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    filterset_class = PlaceFilterSet

    def get_queryset(self):
        return places_visible_to(self.request.user).select_related("district", "unit", "operator")


def register(router) -> None:
    router.register("enterprises", EnterpriseViewSet, basename="enterprise")
    router.register("places", PlaceViewSet, basename="place")
