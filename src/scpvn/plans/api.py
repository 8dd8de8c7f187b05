from rest_framework import viewsets

from scpvn.orgs.access import HasRole
from scpvn.plans.filtersets import IndicatorFilterSet, PlanFilterSet, TaskFilterSet
from scpvn.plans.models import Indicator, Plan, Task
from scpvn.plans.serializers import IndicatorSerializer, PlanSerializer, TaskSerializer


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


def register(router) -> None:
    router.register("plans", PlanViewSet)
    router.register("tasks", TaskViewSet)
    router.register("indicators", IndicatorViewSet)
