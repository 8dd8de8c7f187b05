"""What the questionnaire and response lists may be narrowed by, shared by the response
page (/assessments/responses/) and the API (/api/questionnaires/, /api/responses/). The
scope comes first, from `responses_visible_to`."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from scpvn.assessments.models import Questionnaire, Response
from scpvn.registry.filtersets import district_filter


def questionnaire_codes() -> list[tuple[str, str]]:
    codes = Questionnaire.objects.order_by("code").values_list("code", flat=True).distinct()
    return [(code, code) for code in codes]


class QuestionnaireFilterSet(filters.FilterSet):
    class Meta:
        model = Questionnaire
        fields = ["code", "version", "subject", "is_active"]


class ResponseFilterSet(filters.FilterSet):
    questionnaire_code = filters.ChoiceFilter(
        field_name="questionnaire__code",
        choices=questionnaire_codes,
        label=_("Phiếu"),
        empty_label=_("Mọi phiếu"),
        help_text="Mã phiếu (mọi phiên bản).",
    )
    district = district_filter()
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Từ ngày"))
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Đến ngày"))

    class Meta:
        model = Response
        fields = ["questionnaire", "enterprise", "place"]
