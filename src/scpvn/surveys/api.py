from rest_framework import viewsets

from scpvn.orgs.access import HasRole
from scpvn.registry.services import enterprises_visible_to
from scpvn.surveys import models as m
from scpvn.surveys import serializers as s
from scpvn.surveys.filtersets import SurveyResponseFilterSet


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.Survey.objects.prefetch_related("sectors")
    serializer_class = s.SurveySerializer
    permission_classes = [HasRole]


class SurveyResponseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SurveyResponseSerializer
    permission_classes = [HasRole]
    filterset_class = SurveyResponseFilterSet

    def get_queryset(self):
        return (
            m.SurveyResponse.objects.filter(
                enterprise__in=enterprises_visible_to(self.request.user)
            )
            .select_related("assignment")
            .prefetch_related("assignment__responses")
        )


def register(router) -> None:
    router.register("network/surveys", SurveyViewSet, basename="network-survey")
    router.register("network/survey-responses", SurveyResponseViewSet, basename="network-response")
