"""What the lists of plans, tasks and indicators may be narrowed by (/api/plans/,
/api/tasks/, /api/indicators/); a page listing them names the same FilterSet."""

from django_filters import rest_framework as filters

from scpvn.plans.models import Indicator, Plan, Task


class PlanFilterSet(filters.FilterSet):
    class Meta:
        model = Plan
        fields = ["code", "slug", "issuer"]


class TaskFilterSet(filters.FilterSet):
    class Meta:
        model = Task
        fields = ["plan", "number", "lead__code"]


class IndicatorFilterSet(filters.FilterSet):
    class Meta:
        model = Indicator
        fields = ["plan", "code", "scope", "series"]
