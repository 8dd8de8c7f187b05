"""`/api/forms/`: published XLSForms in the caller's scope; POST (multipart `file`) publishes
one through the same service as the page and `scpvn forms publish`."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from scpvn.assessments.models import PublishedForm
from scpvn.assessments.publishing import forms_visible_to, publish_form
from scpvn.assessments.scopes import FIELD_ROLES, PUBLISH_ROLES
from scpvn.assessments.xlsform import XLSFormInvalid
from scpvn.core.errors import error_code
from scpvn.core.problems import problem
from scpvn.orgs.access import HasRole
from scpvn.orgs.roles import Role


class PublishedFormSerializer(serializers.ModelSerializer):
    questionnaire_version = serializers.IntegerField(source="questionnaire.version", read_only=True)
    file = serializers.FileField(write_only=True)

    class Meta:
        model = PublishedForm
        fields = [
            "id",
            "form_id",
            "version",
            "title",
            "questionnaire",
            "questionnaire_version",
            "agency",
            "published_at",
            "closed_at",
            "md5",
            "file",
        ]
        read_only_fields = [f for f in fields if f != "file"]


class PublishedFormViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PublishedFormSerializer
    permission_classes = [HasRole]
    allowed_roles = FIELD_ROLES | {Role.REVIEWER}
    write_roles = PUBLISH_ROLES
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return forms_visible_to(self.request.user).order_by("form_id", "-published_at")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            form = publish_form(request.user, serializer.validated_data["file"])
        except XLSFormInvalid as exc:
            # Every problem, with its sheet, row and column, for the client to show.
            return problem(
                400,
                " ".join(exc.messages),
                code=error_code(exc),
                problems=[
                    {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}
                    for p in exc.problems
                ],
            )
        return Response(self.get_serializer(form).data, status=201)
