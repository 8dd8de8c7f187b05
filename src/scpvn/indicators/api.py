from rest_framework import viewsets

from scpvn.indicators.filtersets import IndicatorValueFilterSet
from scpvn.indicators.models import IndicatorValue
from scpvn.indicators.serializers import IndicatorValueSerializer
from scpvn.orgs.access import HasRole


class IndicatorValueViewSet(viewsets.ReadOnlyModelViewSet):
    """Stored indicator values per period and unit (`city=true` for the city-wide ones)."""

    queryset = IndicatorValue.objects.select_related("indicator", "district")
    serializer_class = IndicatorValueSerializer
    permission_classes = [HasRole]
    filterset_class = IndicatorValueFilterSet


def register(router) -> None:
    router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")
