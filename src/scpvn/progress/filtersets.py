"""What a list of activities may be narrowed by, shared by the page (/progress/activities/)
and the API (/api/progress/activities/), so `?status=approved&agency=SCT` means one thing
on both. The scope (what the user may see at all) comes first, from
`services.activities_visible_to`."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from scpvn.core.filtering import FilterSet, whole_number_filter
from scpvn.geo.filtersets import commune_filter
from scpvn.plans.models import Deliverable, Task
from scpvn.progress.models import Activity
from scpvn.progress.status import counted, known_at


class ActivityFilterSet(FilterSet):
    task = filters.ModelMultipleChoiceFilter(
        queryset=Task.objects.all(),
        label=_("Nhiệm vụ"),
        help_text="Mã (id) nhiệm vụ; lặp lại được.",
    )
    group = whole_number_filter("task__group", _("Nhóm nhiệm vụ"))
    deliverable = filters.ModelChoiceFilter(
        queryset=Deliverable.objects.all(), label=_("Sản phẩm đầu ra")
    )
    status = filters.ChoiceFilter(choices=Activity.Status.choices, label=_("Trạng thái"))
    agency = filters.CharFilter(
        field_name="agency__code", label=_("Cơ quan"), help_text="Mã cơ quan (SCT…)"
    )
    unit = commune_filter()
    district = filters.CharFilter(
        field_name="district__code", label=_("Quận, huyện"), help_text="Mã quận, huyện"
    )
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Từ ngày"))
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Đến ngày"))
    as_of = filters.DateFilter(
        method="filter_counted_on",
        label=_("Được tính tại ngày"),
        help_text="Chỉ những hoạt động được tính vào số liệu tại ngày này (đã duyệt, ngày ≤ as_of).",
    )
    seen = filters.ChoiceFilter(
        choices=[("then", _("như đã thấy vào ngày đó"))],
        method="filter_nothing",
        label=_("Duyệt muộn"),
        help_text="`then`: với as_of, bỏ những hoạt động được duyệt sau ngày đó.",
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_counted_on(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """The activities the dashboard counts on that day, late approvals included unless
        `seen=then` (the same rule as the dashboard's figures)."""
        seen_then = self.form.cleaned_data.get("seen") == "then"
        return queryset.filter(counted(value, known_at(value, seen_then=seen_then)))

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """`seen` only qualifies `as_of`."""
        return queryset
