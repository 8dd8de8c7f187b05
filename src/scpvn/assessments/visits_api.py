"""`/api/visits/`: visits received over OpenRosa in the caller's scope, filtered as on the
review page (`VisitFilterSet`); `POST …/accept/` and `…/return/` review one through the same
services as the page."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scpvn.assessments.filtersets import VisitFilterSet
from scpvn.assessments.models import RepeatPhoto, Submission
from scpvn.assessments.scopes import REVIEWER_ROLES
from scpvn.assessments.services import accept_visit, return_visit, visits_visible_to
from scpvn.orgs.access import HasRole
from scpvn.orgs.roles import STAFF_ROLES


class RepeatPhotoSerializer(serializers.ModelSerializer):
    """A photo taken inside a repeat group (served, in scope, at
    /assessments/photos/repeat/<id>/): the repeat's question, the instance, the path."""

    question = serializers.CharField(source="answer.question.code", read_only=True)

    class Meta:
        model = RepeatPhoto
        fields = ["id", "question", "position", "path"]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    form_id = serializers.CharField(source="form.form_id", read_only=True)
    form_version = serializers.CharField(source="form.version", read_only=True)
    date = serializers.DateField(source="response.date", read_only=True)
    place = serializers.IntegerField(source="response.place_id", read_only=True)
    enterprise = serializers.IntegerField(source="response.enterprise_id", read_only=True)
    unit = serializers.IntegerField(source="response.unit_id", read_only=True)
    district = serializers.CharField(source="response.district.code", default=None)
    photos = serializers.SerializerMethodField()
    repeat_photos = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "instance_id",
            "form_id",
            "form_version",
            "response",
            "date",
            "place",
            "enterprise",
            "unit",
            "district",
            "submitted_by",
            "received_at",
            "latitude",
            "longitude",
            "accuracy",
            "gps_check",
            "distance_m",
            "new_place",
            "photos",
            "repeat_photos",
            "status",
            "version",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
        ]
        read_only_fields = fields

    def get_photos(self, visit: Submission) -> list[int]:
        """Ids of the photo answers (served, in scope, at /assessments/photos/<id>/)."""
        return [a.pk for a in visit.response.answers.all() if a.photo]

    @extend_schema_field(RepeatPhotoSerializer(many=True))
    def get_repeat_photos(self, visit: Submission) -> list[dict]:
        photos = [p for a in visit.response.answers.all() for p in a.repeat_photos.all()]
        return RepeatPhotoSerializer(photos, many=True).data


class VisitReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class VisitViewSet(viewsets.ReadOnlyModelViewSet):
    """Visits sent from the field (ODK Collect, the browser); reviewers of the form's agency
    and city administrators accept or return them. Only accepted visits count."""

    serializer_class = VisitSerializer
    permission_classes = [HasRole]
    allowed_roles = STAFF_ROLES
    write_roles = REVIEWER_ROLES
    filterset_class = VisitFilterSet

    def get_queryset(self):
        return (
            visits_visible_to(self.request.user)
            .select_related("form", "response__district")
            .prefetch_related("response__answers__question", "response__answers__repeat_photos")
            .order_by("-received_at", "-pk")
        )

    def _comment(self, request: Request) -> str:
        review = VisitReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        return review.validated_data["comment"]

    @extend_schema(request=VisitReviewSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        """Accept a visit as evidence: it counts toward its deliverable and indicators."""
        comment = self._comment(request)
        visit = accept_visit(request.user, self.get_object(), comment)
        return Response(self.get_serializer(visit).data)

    @extend_schema(request=VisitReviewSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk=None) -> Response:
        """Return a visit to its officer; `comment` (the reason) is required."""
        comment = self._comment(request)
        visit = return_visit(request.user, self.get_object(), comment)
        return Response(self.get_serializer(visit).data)
