"""What the enterprise and place lists may be narrowed by, shared by the pages
(/registry/, /registry/places/) and the API (/api/enterprises/, /api/places/). The scope
comes first, from `enterprises_visible_to` / `places_visible_to`."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from scpvn.core.filtering import FilterSet
from scpvn.core.forms import QuickSelect
from scpvn.geo.filtersets import commune_filter, district_filter
from scpvn.registry.models import Enterprise, Place


class EnterpriseFilterSet(FilterSet):
    q = filters.CharFilter(
        method="filter_name_or_tax_code",
        label=_("Tên hoặc mã số thuế"),
        help_text="Tên (chứa) hoặc MST (bắt đầu bằng).",
    )
    # the registry list, the most opened list page, writes its selects in Python
    unit = commune_filter()
    district = district_filter()
    vsic = filters.CharFilter(field_name="vsic_code", lookup_expr="startswith", label=_("VSIC"))
    industrial_zone = filters.CharFilter(field_name="industrial_zone__code", label=_("KCN/CCN"))
    in_industrial_zone = filters.BooleanFilter(
        field_name="industrial_zone", lookup_expr="isnull", exclude=True, label=_("Trong KCN/CCN")
    )
    name = filters.CharFilter(lookup_expr="icontains", label=_("Tên doanh nghiệp"))
    distribution = filters.ChoiceFilter(
        choices=Enterprise.Distribution.choices,
        label=_("Loại hình phân phối"),
        empty_label=_("Mọi loại hình"),
        widget=QuickSelect,
    )

    class Meta:
        model = Enterprise
        fields = ["tax_code", "size"]

    def filter_name_or_tax_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """On PostgreSQL both halves read an index, not the table: `icontains` is
        `UPPER(name) LIKE …`, answered by the trigram index of migration 0013 (also behind
        `?name=`), and the prefix by the tax code's pattern index. SQLite scans."""
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(tax_code__startswith=value))


class PlaceFilterSet(FilterSet):
    kind = filters.ChoiceFilter(
        choices=Place.Kind.choices, label=_("Loại"), empty_label=_("Mọi loại")
    )
    unit = commune_filter()
    district = district_filter()
    operator = filters.CharFilter(field_name="operator__tax_code", label=_("MST đơn vị vận hành"))

    class Meta:
        model = Place
        fields = ["market_class", "status"]
