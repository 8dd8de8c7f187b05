"""Background jobs of the indicator engine (run by `scpvn db_worker`)."""

from django_tasks import task

from scpvn.indicators.services import compute_plan
from scpvn.plans.models import Plan


@task()
def recompute_indicators() -> int:
    """Recompute every plan's indicators after records changed; returns values stored."""
    return sum(compute_plan(plan) for plan in Plan.objects.all())
