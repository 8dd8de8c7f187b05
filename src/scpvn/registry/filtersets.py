"""What the enterprise and place lists may be narrowed by, shared by the pages
(/registry/, /registry/places/) and the API (/api/enterprises/, /api/places/). The scope
comes first, from `enterprises_visible_to` / `places_visible_to`."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from scpvn.core.forms import QuickSelect
from scpvn.geo.models import District
from scpvn.geo.placing import all_districts
from scpvn.registry.models import Enterprise, Place


class RememberedDistricts(ModelChoiceIterator):
    """The district options from the remembered reference data (`geo.placing.all_districts`)
    instead of a query on every page that shows the filter. A value chosen is still looked
    up in the table when the form is validated."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for district in all_districts():
            yield self.choice(district)

    def __len__(self) -> int:
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(all_districts()) + extra

    def __bool__(self) -> bool:
        return bool(len(self))


class DistrictField(ModelChoiceField):
    iterator = RememberedDistricts


class DistrictFilter(filters.ModelChoiceFilter):
    field_class = DistrictField


def district_filter(
    field_name: str | None = None, widget: type[forms.Select] = forms.Select
) -> filters.ModelChoiceFilter:
    """`?district=` is a district's code everywhere (`field_name` leads to it from a record
    placed through another one)."""
    return DistrictFilter(
        **({"field_name": field_name} if field_name else {}),
        widget=widget,
        queryset=District.objects.all(),
        to_field_name="code",
        label=_("Quận, huyện"),
        empty_label=_("Mọi quận, huyện"),
    )


class EnterpriseFilterSet(filters.FilterSet):
    q = filters.CharFilter(
        method="filter_name_or_tax_code",
        label=_("Tên hoặc mã số thuế"),
        help_text="Tên (chứa) hoặc MST (bắt đầu bằng).",
    )
    # the registry list, the most opened list page, writes its selects in Python
    district = district_filter(widget=QuickSelect)
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


class PlaceFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(
        choices=Place.Kind.choices, label=_("Loại"), empty_label=_("Mọi loại")
    )
    district = district_filter()
    operator = filters.CharFilter(field_name="operator__tax_code", label=_("MST đơn vị vận hành"))

    class Meta:
        model = Place
        fields = ["market_class", "status"]
