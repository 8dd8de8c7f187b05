"""What the lists of reports (/api/reports/) and of the outgoing-document register
(/api/issued-documents/, the register page) may be narrowed by. The report page is a grid
of duties × periods of one plan (`?plan=`, the same id this FilterSet takes)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from scpvn.core.filtering import FilterSet, whole_number_filter
from scpvn.reports.models import IssuedDocument, Report


class ReportFilterSet(FilterSet):
    duty = filters.CharFilter(
        field_name="duty__code", label=_("Chế độ báo cáo"), help_text="Mã chế độ báo cáo (6T…)"
    )

    class Meta:
        model = Report
        fields = ["plan", "period", "status"]


class IssuedDocumentFilterSet(FilterSet):
    agency = filters.CharFilter(field_name="register__agency__code", help_text="Mã cơ quan")
    year = whole_number_filter("register__year", _("Năm"))

    class Meta:
        model = IssuedDocument
        fields = ["status"]
