import django_filters
from rest_framework import viewsets

from scpvn.orgs.access import ALL_ROLES, HasRole
from scpvn.registry.models import Enterprise, Place
from scpvn.registry.serializers import EnterpriseSerializer, PlaceSerializer
from scpvn.registry.services import enterprises_visible_to, places_visible_to


class EnterpriseFilter(django_filters.FilterSet):
    district = django_filters.CharFilter(field_name="district__code")
    vsic = django_filters.CharFilter(field_name="vsic_code", lookup_expr="startswith")
    industrial_zone = django_filters.CharFilter(field_name="industrial_zone__code")
    in_industrial_zone = django_filters.BooleanFilter(
        field_name="industrial_zone", lookup_expr="isnull", exclude=True
    )
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Enterprise
        fields = ["tax_code", "size", "distribution"]


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """Enterprises in the caller's scope (their district, or their own enterprise)."""

    serializer_class = EnterpriseSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    filterset_class = EnterpriseFilter
    ordering_fields = ["name", "tax_code"]

    def get_queryset(self):
        return enterprises_visible_to(self.request.user).select_related(
            "district", "industrial_zone"
        )


class PlaceFilter(django_filters.FilterSet):
    district = django_filters.CharFilter(field_name="district__code")
    operator = django_filters.CharFilter(field_name="operator__tax_code")

    class Meta:
        model = Place
        fields = ["kind", "market_class"]


class PlaceViewSet(viewsets.ReadOnlyModelViewSet):
    """Markets, supermarkets and shopping centres in the caller's scope."""

    serializer_class = PlaceSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    filterset_class = PlaceFilter

    def get_queryset(self):
        return places_visible_to(self.request.user).select_related("district", "operator")


def register(router) -> None:
    router.register("enterprises", EnterpriseViewSet, basename="enterprise")
    router.register("places", PlaceViewSet, basename="place")
