from rest_framework import mixins, viewsets

from scpvn.assessments.filtersets import QuestionnaireFilterSet, ResponseFilterSet
from scpvn.assessments.forms_api import PublishedFormViewSet
from scpvn.assessments.models import Questionnaire
from scpvn.assessments.scopes import ANSWER_ROLES
from scpvn.assessments.serializers import QuestionnaireSerializer, ResponseSerializer
from scpvn.assessments.services import responses_visible_to, submit_response
from scpvn.assessments.visits_api import VisitViewSet
from scpvn.orgs.access import ALL_ROLES, HasRole


class QuestionnaireViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Questionnaire.objects.prefetch_related("questions")
    serializer_class = QuestionnaireSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    filterset_class = QuestionnaireFilterSet


class ResponseViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Survey and inspection responses (answers) in the caller's scope; POST records one
    for an enterprise or place the caller may answer for."""

    serializer_class = ResponseSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    write_roles = ANSWER_ROLES
    filterset_class = ResponseFilterSet

    def get_queryset(self):
        return (
            responses_visible_to(self.request.user)
            .select_related("district")
            .prefetch_related("answers__question")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        subject = data.get("enterprise") or data.get("place")
        # A refusal (Denied, ResponseInvalid) becomes problem+json with its code.
        serializer.instance = submit_response(
            questionnaire=data["questionnaire"],
            subject=subject,
            date=data["date"],
            values=data["values"],
            user=self.request.user,
        )


def register(router) -> None:
    router.register("questionnaires", QuestionnaireViewSet, basename="questionnaire")
    router.register("responses", ResponseViewSet, basename="response")
    router.register("forms", PublishedFormViewSet, basename="published-form")
    router.register("visits", VisitViewSet, basename="visit")
