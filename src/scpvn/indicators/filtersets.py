"""What the list of stored indicator values may be narrowed by (/api/indicator-values/);
a page listing values names the same FilterSet."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from scpvn.core.filtering import whole_number_filter
from scpvn.indicators.models import IndicatorValue


class IndicatorValueFilterSet(filters.FilterSet):
    plan = whole_number_filter("indicator__plan", _("Kế hoạch"))
    indicator = filters.CharFilter(field_name="indicator__code", label=_("Chỉ tiêu"))
    district = filters.CharFilter(field_name="district__code", label=_("Quận, huyện"))
    city = filters.BooleanFilter(
        field_name="district", lookup_expr="isnull", label=_("Toàn thành phố")
    )

    class Meta:
        model = IndicatorValue
        fields = ["period", "period_kind", "source"]
