from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from scpvn.orgs.access import HasRole
from scpvn.plans.budget import budget_lines, record_budget_entry
from scpvn.plans.filtersets import IndicatorFilterSet, PlanFilterSet, TaskFilterSet
from scpvn.plans.models import BudgetAllocation, BudgetEntry, Indicator, Plan, Task
from scpvn.plans.serializers import (
    IndicatorSerializer,
    PlanSerializer,
    SeriesRowSerializer,
    TaskSerializer,
)
from scpvn.plans.services import chosen_plan, indicator_series, series_row


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans as loaded from their files; changed only by `scpvn plan load`."""

    queryset = Plan.objects.all()
    serializer_class = PlanSerializer
    permission_classes = [HasRole]
    filterset_class = PlanFilterSet


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.select_related("group", "lead").prefetch_related(
        "partners", "deliverables"
    )
    serializer_class = TaskSerializer
    permission_classes = [HasRole]
    filterset_class = TaskFilterSet


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Indicator.objects.select_related("parent", "lead")
    serializer_class = IndicatorSerializer
    permission_classes = [HasRole]
    filterset_class = IndicatorFilterSet


class SeriesViewSet(viewsets.ViewSet):
    """A measure across plans: `/api/series/<slug>/` lists each plan's target for it, oldest
    year first."""

    permission_classes = [HasRole]
    lookup_value_regex = "[a-z0-9-]+"

    @extend_schema(
        responses=inline_serializer("SeriesName", {"series": serializers.CharField()}, many=True)
    )
    def list(self, request):
        slugs = (
            Indicator.objects.exclude(series="")
            .order_by("series")
            .values_list("series", flat=True)
            .distinct()
        )
        return Response([{"series": slug} for slug in slugs])

    @extend_schema(
        responses=inline_serializer(
            "Series",
            {"series": serializers.CharField(), "years": SeriesRowSerializer(many=True)},
        )
    )
    def retrieve(self, request, pk: str):
        rows = indicator_series(pk)
        if not rows:
            raise NotFound(f"không có dãy chỉ tiêu {pk} (no such series)")
        data = SeriesRowSerializer([series_row(i) for i in rows], many=True).data
        return Response({"series": pk, "years": data})


class BudgetEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetEntry
        fields = ["id", "kind", "amount", "date", "document", "reason", "recorded_at"]
        read_only_fields = ["recorded_at"]


class BudgetLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="allocation.pk")
    plan = serializers.IntegerField(source="allocation.plan_id")
    task = serializers.IntegerField(source="allocation.task.number", default=None)
    agency = serializers.CharField(source="allocation.agency.code")
    source = serializers.CharField(source="allocation.source")
    decision = serializers.CharField(source="allocation.decision")
    allocated = serializers.DecimalField(
        source="allocation.amount", max_digits=16, decimal_places=0
    )
    committed = serializers.DecimalField(max_digits=16, decimal_places=0)
    spent = serializers.DecimalField(max_digits=16, decimal_places=0)


class BudgetViewSet(viewsets.ViewSet):
    """The plan's budget (`?plan=`): each allocation with what is committed and spent.
    POST `<id>/entries/` records a commitment or spending for the agency that spends it."""

    permission_classes = [HasRole]
    lookup_value_regex = r"\d+"
    write_roles = frozenset({"city_admin", "agency_officer", "district_officer"})

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", str, description="the plan's slug (default: current)")
        ],
        responses=BudgetLineSerializer(many=True),
    )
    def list(self, request):
        try:
            plan = chosen_plan(request.query_params.get("plan"))
        except Plan.DoesNotExist as exc:
            raise NotFound("Không có kế hoạch này.") from exc
        if plan is None:
            return Response([])
        return Response(BudgetLineSerializer(budget_lines(plan), many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        request=BudgetEntrySerializer,
        responses={201: BudgetEntrySerializer},
    )
    @action(detail=True, methods=["post"])
    def entries(self, request, pk: str):
        allocation = BudgetAllocation.objects.filter(pk=pk if pk.isdigit() else 0).first()
        if allocation is None:
            raise NotFound("không có dự toán này (no such allocation)")
        body = BudgetEntrySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entry = record_budget_entry(
            request.user,
            allocation,
            kind=data["kind"],
            amount=data["amount"],
            date=data["date"],
            document=data["document"],
            reason=data.get("reason", ""),
        )
        return Response(BudgetEntrySerializer(entry).data, status=201)


def register(router) -> None:
    router.register("plans", PlanViewSet)
    router.register("tasks", TaskViewSet)
    router.register("indicators", IndicatorViewSet)
    router.register("series", SeriesViewSet, basename="series")
    router.register("budget", BudgetViewSet, basename="budget")
