"""Status engine and dashboard cost as activities grow (the `progress` ladder of sizes).

`plan_progress` aggregates the activities in the database in one query, so its query count
must not move and its time should grow far slower than the number of activities. Runs on a
throwaway test database, at every size of the `progress` ladder (`bench/sizes.py`).
"""

import datetime as dt
import shutil
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.results import growth_exponent, record
from bench.sizes import ladder
from bench.throwaway import SQLITE_NAME, migrated_sqlite


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

    sizes = ladder("progress")
    measured: list[tuple[int, float, int]] = []
    tmp = Path(tempfile.mkdtemp(prefix="scpvn-bench-progress-"))
    copied = connection.vendor == "sqlite" and migrated_sqlite(tmp)
    if copied:  # a copy of the run's migrated template instead of migrating again
        old_name = connection.settings_dict["NAME"]
        connection.close()
        connection.settings_dict["NAME"] = str(tmp / SQLITE_NAME)
    else:
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        plan = load_plan(read_plan_file(settings.SCPVN_DEFAULT_PLAN_FILE)).plan
        held = 0
        for size in sizes:
            _add(plan, size - held)
            held = size
            seconds, queries = _measure(plan)
            measured.append((size, seconds, queries))
            print(
                f"  plan_progress, {size:,} activities: {seconds * 1000:.1f} ms, {queries} queries"
            )
            record("progress", "plan_progress", size=size, value=seconds * 1000, unit="ms")
            record("progress", "plan_progress queries", size=size, value=queries, unit="queries")
    finally:
        if copied:
            connection.close()
            connection.settings_dict["NAME"] = old_name
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    (n1, t1, q1), (n2, t2, q2) = measured[0], measured[-1]
    print(
        f"  ×{n2 / n1:.0f} activities → time ×{t2 / t1:.2f} (growth exponent "
        f"{growth_exponent(n1, t1, n2, t2):.2f}), queries ×{q2 / q1:.2f}"
    )
