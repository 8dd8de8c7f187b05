import django_filters
from rest_framework import viewsets

from scpvn.indicators.models import IndicatorValue
from scpvn.indicators.serializers import IndicatorValueSerializer
from scpvn.orgs.access import HasRole


class IndicatorValueFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="indicator__plan")
    indicator = django_filters.CharFilter(field_name="indicator__code")
    district = django_filters.CharFilter(field_name="district__code")
    city = django_filters.BooleanFilter(field_name="district", lookup_expr="isnull")

    class Meta:
        model = IndicatorValue
        fields = ["period", "period_kind", "source"]


class IndicatorValueViewSet(viewsets.ReadOnlyModelViewSet):
    """Stored indicator values per period and unit (`city=true` for the city-wide ones)."""

    queryset = IndicatorValue.objects.select_related("indicator", "district")
    serializer_class = IndicatorValueSerializer
    permission_classes = [HasRole]
    filterset_class = IndicatorValueFilter


def register(router) -> None:
    router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")
