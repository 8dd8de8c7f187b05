"""Status engine and dashboard cost as activities grow (baseline: 2,000 activities).

`plan_progress` aggregates the activities in the database in one query, so its query count
must not move and its time should grow far slower than the number of activities. Runs on a
throwaway test database; BENCH_PROGRESS_SCALE (default 10) sets how many times the baseline
the large run holds.
"""

import datetime as dt
import os
import statistics
import time
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

BASELINE = 2_000


def _add(plan, n: int) -> None:
    from scpvn.orgs.models import Agency
    from scpvn.plans.models import Deliverable
    from scpvn.progress.models import Activity

    deliverables = list(Deliverable.objects.filter(task__plan=plan).select_related("task"))
    agency = Agency.objects.get(code="SCT")
    approved = timezone.make_aware(dt.datetime(2020, 12, 1))
    Activity.objects.bulk_create(
        [
            Activity(
                task=d.task,
                deliverable=d,
                agency=agency,
                date=dt.date(2020, 7, 1) + dt.timedelta(days=i % 180),
                quantity=Decimal(1),
                title=f"bench {i}",
                status=Activity.Status.APPROVED,
                approved_at=approved,
            )
            for i, d in ((i, deliverables[i % len(deliverables)]) for i in range(n))
        ],
        batch_size=2_000,
    )


def _measure(plan) -> tuple[float, int]:
    from scpvn.progress.status import plan_progress

    plan_progress(plan, dt.date(2020, 12, 31))  # warm caches before timing
    times = []
    for _ in range(7):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            plan_progress(plan, dt.date(2020, 12, 31))
            times.append(time.perf_counter() - start)
    return statistics.median(times), len(queries.captured_queries)


def run() -> None:
    from scpvn.plans.planfile import read_plan_file
    from scpvn.plans.services import load_plan

    scale = int(os.environ.get("BENCH_PROGRESS_SCALE", "10"))
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        plan = load_plan(read_plan_file(settings.SCPVN_DEFAULT_PLAN_FILE)).plan
        _add(plan, BASELINE)
        base_time, base_queries = _measure(plan)
        _add(plan, BASELINE * (scale - 1))
        big_time, big_queries = _measure(plan)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        f"  plan_progress, {BASELINE:,} activities: {base_time * 1000:.1f} ms, {base_queries} queries"
    )
    print(
        f"  plan_progress, {BASELINE * scale:,} activities: {big_time * 1000:.1f} ms, "
        f"{big_queries} queries"
    )
    print(
        f"  ratio ×{scale} activities → time ×{big_time / base_time:.2f}, queries ×{big_queries / base_queries:.2f}"
    )
