"""What the API's sample list (/api/network/survey-responses/) may be narrowed by. The
status is not stored: "answered" means the engine holds a response on the assignment."""

from django.db.models import Exists, OuterRef
from django_filters import rest_framework as filters

from scpvn.assessments.models import Response
from scpvn.core.filtering import FilterSet
from scpvn.surveys.models import SurveyResponse


class SurveyResponseFilterSet(FilterSet):
    status = filters.ChoiceFilter(choices=SurveyResponse.Status.choices, method="by_status")

    class Meta:
        model = SurveyResponse
        fields = ["survey", "sector", "status"]

    def by_status(self, queryset, name, value):
        answered = Exists(Response.objects.filter(assignment=OuterRef("assignment")))
        if value == SurveyResponse.Status.ANSWERED:
            return queryset.filter(answered)
        queryset = queryset.exclude(answered)
        return queryset.filter(declined=value == SurveyResponse.Status.DECLINED)
