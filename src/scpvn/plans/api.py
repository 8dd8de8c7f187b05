from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from scpvn.orgs.access import HasRole
from scpvn.plans.filtersets import IndicatorFilterSet, PlanFilterSet, TaskFilterSet
from scpvn.plans.models import Indicator, Plan, Task
from scpvn.plans.serializers import (
    IndicatorSerializer,
    PlanSerializer,
    SeriesRowSerializer,
    TaskSerializer,
)
from scpvn.plans.services import indicator_series, series_row


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


def register(router) -> None:
    router.register("plans", PlanViewSet)
    router.register("tasks", TaskViewSet)
    router.register("indicators", IndicatorViewSet)
    router.register("series", SeriesViewSet, basename="series")
