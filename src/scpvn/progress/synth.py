"""The synthetic province's activities: recorded by each task's lead agency against the
deliverables of the latest plan that has some, over the plan's period, most of them approved
(`scpvn synth`, see `scpvn.core.synthetic`). The plan the app opens on may hold targets
only: after `demo load` (2026), synth printed its count of activities and wrote none."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from scpvn.core.synthetic import Run
from scpvn.plans.models import Deliverable
from scpvn.plans.revisions import touch
from scpvn.plans.services import latest_plan_with_deliverables
from scpvn.progress.models import Activity

ORDER = 60
# a province's register most of the year (no voided entries are generated)
STATUS_WEIGHTS = {
    Activity.Status.DRAFT: 0.05,
    Activity.Status.SUBMITTED: 0.1,
    Activity.Status.APPROVED: 0.8,
    Activity.Status.RETURNED: 0.05,
}


def generate(run: Run) -> None:
    plan = latest_plan_with_deliverables()
    if plan is None:
        raise RuntimeError(
            "no plan with deliverables loaded: run `scpvn plan load FILE` or `scpvn demo load`"
        )
    deliverables = list(
        Deliverable.objects.filter(task__plan=plan).values_list("pk", "task_id", "task__lead_id")
    )
    rng = run.rng
    days = max((plan.period_end - plan.period_start).days, 1)
    count = run.counts["activities"]
    ids = run.ids(Activity, count)

    def rows() -> Iterator[dict]:
        for pk in ids:
            deliverable, task, agency = rng.choice(deliverables)
            day = plan.period_start + dt.timedelta(days=rng.randrange(days))
            status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
            moment = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
            yield {
                "id": pk,
                "task_id": task,
                "deliverable_id": deliverable,
                "agency_id": agency,
                "date": day,
                "quantity": Decimal(rng.randint(1, 3)),
                "title": f"Hoạt động tổng hợp {pk}",
                "status": status,
                "created_at": moment,
                "submitted_at": moment if status != Activity.Status.DRAFT else None,
                "reviewed_at": moment if status in ("approved", "returned") else None,
                "approved_at": moment if status == Activity.Status.APPROVED else None,
            }

    run.insert(Activity, rows(), count, "hoạt động (activities)")
    touch(pk=plan.pk)  # inserted without signals: the plan's cached figures are stale
