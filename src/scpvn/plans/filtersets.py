"""What the lists of plans, tasks and indicators may be narrowed by (/api/plans/,
/api/tasks/, /api/indicators/); a page listing them names the same FilterSet."""

from scpvn.core.filtering import FilterSet
from scpvn.plans.models import Indicator, Plan, Task


class PlanFilterSet(FilterSet):
    class Meta:
        model = Plan
        fields = ["code", "slug", "issuer"]


class TaskFilterSet(FilterSet):
    class Meta:
        model = Task
        fields = ["plan", "number", "lead__code"]


class IndicatorFilterSet(FilterSet):
    class Meta:
        model = Indicator
        fields = ["plan", "code", "scope", "series"]
