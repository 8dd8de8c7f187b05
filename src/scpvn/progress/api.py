"""REST API beside the progress pages: the plan's progress as the status engine has it,
activities (record, submit, review) and their evidence. Thin: every rule is in
`services.py`; a refusal from a service is a 4xx problem+json (400 invalid, 403 not yours,
409 edited meanwhile)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from scpvn.orgs.access import HasRole
from scpvn.plans.models import Plan
from scpvn.plans.services import chosen_plan
from scpvn.progress import scopes, services
from scpvn.progress.filtersets import ActivityFilterSet
from scpvn.progress.models import Activity, Evidence
from scpvn.progress.status import PlanProgress, Status, default_as_of, known_at, plan_progress


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


@contextmanager
def stale_version_conflicts() -> Iterator[None]:
    """A stale version as 409. Other refusals need nothing here: the project's exception
    handler answers a service's ValidationError 400, and DRF a PermissionDenied 403."""
    try:
        yield
    except services.StaleVersion as exc:
        raise Conflict(" ".join(exc.messages)) from exc


class ActivitySerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    version = serializers.IntegerField(
        required=False, help_text="Phiên bản đã đọc; bắt buộc khi sửa (409 nếu đã cũ)."
    )
    warnings = serializers.SerializerMethodField()
    deliverable_code = serializers.CharField(
        source="deliverable.display_code", read_only=True, default=None
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "task",
            "deliverable",
            "deliverable_code",
            "module_record",
            "duty",
            "agency",
            "district",
            "date",
            "quantity",
            "title",
            "description",
            "status",
            "version",
            "review_comment",
            "void_reason",
            "created_at",
            "submitted_at",
            "reviewed_at",
            "approved_at",
            "warnings",
        ]
        read_only_fields = [
            "status",
            "review_comment",
            "void_reason",
            "created_at",
            "submitted_at",
            "reviewed_at",
            "approved_at",
        ]

    def get_warnings(self, activity: Activity) -> list[str]:
        """What is unusual but accepted (e.g. a date outside the task's window)."""
        return self.context.get("warnings", [])

    def validate(self, attrs: dict) -> dict:
        if self.instance is not None and attrs.get("version") is None:
            raise serializers.ValidationError(
                {"version": "Hãy gửi kèm phiên bản đã đọc (version is required)."}
            )
        return attrs


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "name", "kind", "size", "url", "download", "added_at"]

    def get_download(self, evidence: Evidence) -> str | None:
        """The protected download page of a file (None for a link)."""
        if not evidence.file:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("progress:evidence", args=[evidence.pk])
        )


class ActivityViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Activities the user may see (as on the pages); recorders create and edit drafts,
    submit them; reviewers approve or return them. Updates are whole (PUT) and carry the
    `version` read."""

    serializer_class = ActivitySerializer
    permission_classes = [HasRole]
    write_roles = scopes.RECORDER_ROLES
    filterset_class = ActivityFilterSet
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return services.activities_visible_to(self.request.user).select_related(
            "agency", "deliverable"
        )

    def perform_create(self, serializer: ActivitySerializer) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: ActivitySerializer) -> None:
        self._save(serializer, serializer.instance)

    def _save(self, serializer: ActivitySerializer, activity: Activity | None) -> None:
        data = serializer.validated_data
        with stale_version_conflicts():
            saved, warnings = services.save_activity(
                self.request.user,
                activity,
                task=data["task"],
                deliverable=data.get("deliverable"),
                date=data["date"],
                quantity=data.get("quantity", 0),
                title=data["title"],
                description=data.get("description", ""),
                district=data.get("district"),
                module_record=data.get("module_record"),
                duty=data.get("duty"),
                version=data.get("version") if activity else None,
            )
        serializer.instance = saved
        serializer.context["warnings"] = warnings

    def _step(self, run) -> Response:
        with stale_version_conflicts():
            activity = run(self.get_object())
        return Response(self.get_serializer(activity).data)

    def _comment(self, request: Request) -> str:
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        return review.validated_data["comment"]

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        """Send a draft (or returned) activity for review."""
        return self._step(lambda a: services.submit_activity(request.user, a))

    @extend_schema(request=ReviewSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"], write_roles=scopes.REVIEWER_ROLES)
    def approve(self, request: Request, pk=None) -> Response:
        """Approve a submitted activity: it counts from now on."""
        comment = self._comment(request)
        return self._step(lambda a: services.approve_activity(request.user, a, comment))

    @extend_schema(request=ReviewSerializer, responses=ActivitySerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        write_roles=scopes.REVIEWER_ROLES,
    )
    def return_(self, request: Request, pk=None) -> Response:
        """Return a submitted activity to its author; `comment` (the reason) is required."""
        comment = self._comment(request)
        return self._step(lambda a: services.return_activity(request.user, a, comment))

    @extend_schema(responses=EvidenceSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def evidence(self, request: Request, pk=None) -> Response:
        """The files and links backing an activity; files download through the page."""
        items = self.get_object().evidence.all()
        return Response(EvidenceSerializer(items, many=True, context={"request": request}).data)


class ProgressQuerySerializer(serializers.Serializer):
    plan = serializers.SlugField(
        required=False, help_text="Tên định danh của kế hoạch (mặc định: hiện hành)."
    )
    as_of = serializers.DateField(
        required=False, help_text="Ngày xem (mặc định: hôm nay, giới hạn trong kỳ kế hoạch)."
    )
    seen = serializers.ChoiceField(
        choices=["now", "then"],
        required=False,
        help_text="then: chỉ tính hoạt động đã được duyệt đến hết ngày xem.",
    )


class DeliverableProgressSerializer(serializers.Serializer):
    code = serializers.CharField(source="deliverable.code")
    name = serializers.CharField(source="deliverable.name")
    unit = serializers.CharField(source="deliverable.unit")
    milestones = serializers.BooleanField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    achieved = serializers.DecimalField(max_digits=14, decimal_places=2)
    activities = serializers.IntegerField()
    percent = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)


class TaskProgressSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="task.number")
    title = serializers.CharField(source="task.title")
    lead = serializers.CharField(source="task.lead.code")
    start = serializers.DateField(source="task.start")
    end = serializers.DateField(source="task.end")
    percent = serializers.IntegerField()
    elapsed = serializers.FloatField()
    status = serializers.ChoiceField(choices=Status.choices)
    deliverables = DeliverableProgressSerializer(many=True)


class PlanProgressSerializer(serializers.Serializer):
    plan = serializers.CharField(source="plan.code")
    as_of = serializers.DateField()
    percent = serializers.IntegerField()
    task_counts = serializers.DictField(child=serializers.IntegerField())
    due_soon = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    tasks = TaskProgressSerializer(many=True)

    def get_due_soon(self, progress: PlanProgress) -> list[int]:
        return [t.task.number for t in progress.due_soon]

    def get_overdue(self, progress: PlanProgress) -> list[int]:
        return [t.task.number for t in progress.overdue]


class OneObjectSchema(AutoSchema):
    """The schema of a `list` route that answers one object, not an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class PlanProgressViewSet(viewsets.ViewSet):
    """The status engine's answer for a plan on a date: the dashboard's figures, its due-soon
    and overdue tasks, and the same defaults (today within the plan's period, known now)."""

    permission_classes = [HasRole]
    schema = OneObjectSchema()

    @extend_schema(parameters=[ProgressQuerySerializer], responses=PlanProgressSerializer)
    def list(self, request: Request) -> Response:
        query = ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            plan = chosen_plan(params.get("plan"))
        except Plan.DoesNotExist:
            plan = None
        if plan is None:
            raise NotFound("Không có kế hoạch này.")
        as_of = params.get("as_of") or default_as_of(plan)
        progress = plan_progress(
            plan, as_of, known_at=known_at(as_of, seen_then=params.get("seen") == "then")
        )
        return Response(PlanProgressSerializer(progress).data)


def register(router) -> None:
    router.register("progress", PlanProgressViewSet, basename="plan-progress")
    router.register("progress/activities", ActivityViewSet, basename="activity")
