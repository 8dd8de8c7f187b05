"""What the list of reports may be narrowed by (/api/reports/). The report page is a grid
of duties × periods of one plan (`?plan=`, the same id this FilterSet takes)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from scpvn.reports.models import Report


class ReportFilterSet(filters.FilterSet):
    duty = filters.CharFilter(
        field_name="duty__code", label=_("Chế độ báo cáo"), help_text="Mã chế độ báo cáo (6T…)"
    )

    class Meta:
        model = Report
        fields = ["plan", "period", "status"]
