"""What the list of stored indicator values may be narrowed by (/api/indicator-values/);
a page listing values names the same FilterSet."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from scpvn.core.filtering import FilterSet, whole_number_filter
from scpvn.geo.filtersets import commune_filter
from scpvn.indicators.models import IndicatorValue


class IndicatorValueFilterSet(FilterSet):
    plan = whole_number_filter("indicator__plan", _("Kế hoạch"))
    indicator = filters.CharFilter(field_name="indicator__code", label=_("Chỉ tiêu"))
    unit = commune_filter()
    district = filters.CharFilter(field_name="district__code", label=_("Quận, huyện"))
    city = filters.BooleanFilter(method="filter_city", label=_("Toàn thành phố"))

    class Meta:
        model = IndicatorValue
        fields = ["period", "period_kind", "source"]

    def filter_city(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        """A city-wide value is on no district and no commune (`IndicatorValue.unit`): a
        commune-level indicator's values are on communes with no district."""
        citywide = Q(district__isnull=True, unit__isnull=True)
        return queryset.filter(citywide if value else ~citywide)
