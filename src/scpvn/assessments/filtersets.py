"""What the questionnaire and response lists may be narrowed by, shared by the response
page (/assessments/responses/) and the API (/api/questionnaires/, /api/responses/). The
scope comes first, from `responses_visible_to`."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from scpvn.assessments.models import Questionnaire, Response, Submission
from scpvn.core.filtering import FilterSet
from scpvn.geo.filtersets import commune_filter, district_filter


def questionnaire_codes() -> list[tuple[str, str]]:
    codes = Questionnaire.objects.order_by("code").values_list("code", flat=True).distinct()
    return [(code, code) for code in codes]


class QuestionnaireFilterSet(FilterSet):
    class Meta:
        model = Questionnaire
        fields = ["code", "version", "subject", "is_active"]


class ResponseFilterSet(FilterSet):
    questionnaire_code = filters.ChoiceFilter(
        field_name="questionnaire__code",
        choices=questionnaire_codes,
        label=_("Phiếu"),
        empty_label=_("Mọi phiếu"),
        help_text="Mã phiếu (mọi phiên bản).",
    )
    unit = commune_filter()
    district = district_filter()
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Từ ngày"))
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Đến ngày"))

    class Meta:
        model = Response
        fields = ["questionnaire", "enterprise", "place"]


def form_ids() -> list[tuple[str, str]]:
    from scpvn.assessments.models import PublishedForm

    ids = PublishedForm.objects.order_by("form_id").values_list("form_id", flat=True).distinct()
    return [(form_id, form_id) for form_id in ids]


class VisitFilterSet(FilterSet):
    """Visits received over OpenRosa, for the review page (/assessments/visits/) and the API
    (/api/visits/): by state, GPS check, form, commune or ward, district and day."""

    status = filters.ChoiceFilter(
        choices=Submission.Status.choices, label=_("Trạng thái"), empty_label=_("Mọi trạng thái")
    )
    gps_check = filters.ChoiceFilter(
        choices=Submission.GpsCheck.choices,
        label=_("Vị trí GPS"),
        empty_label=_("Mọi kết quả"),
    )
    new_place = filters.BooleanFilter(label=_("Cơ sở mới"))
    form_id = filters.ChoiceFilter(
        field_name="form__form_id",
        choices=form_ids,
        label=_("Biểu mẫu"),
        empty_label=_("Mọi biểu mẫu"),
    )
    unit = commune_filter(field_name="response__unit")
    district = district_filter(field_name="response__district")
    date_from = filters.DateFilter(
        field_name="response__date", lookup_expr="gte", label=_("Từ ngày")
    )
    date_to = filters.DateFilter(
        field_name="response__date", lookup_expr="lte", label=_("Đến ngày")
    )

    class Meta:
        model = Submission
        fields = ["status", "gps_check", "new_place"]
