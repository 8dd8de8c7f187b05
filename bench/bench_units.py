"""Dashboard and indicator pages on today's map: the province's 126 communes and wards against
the 30 districts of the 2020 map, the records growing with the units (issue #12).

Two throwaway databases (PostgreSQL when one answers, else SQLite), each loaded with the Hanoi
2020 plan and synthetic records spread evenly over its units: at the district size 30
districts and `records × 30 / 126` records, at the province size the 126 communes and wards
and `records` records (the `units` ladder of `bench/sizes.py`, 100,000 by default), four in
five of them questionnaire responses and one in five approved activities. At the province
size every computed indicator is computed per commune and ward (`Indicator.level`). The
indicator values are computed, then each page is rendered in process by a signed-in city
administrator with the cache emptied before every request (median of 5 after one warm-up):
the staff dashboard, the indicator dashboard and every computed indicator's page (its table
by unit and its map) summed. Aim: the province size costs no more than 1.5× the district size.
"""

import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from bench.results import record
from bench.sizes import ladder

ROOT = Path(__file__).resolve().parent.parent
WARDS = 126
DISTRICTS = 30
AIM = "≤ 1.5× the 30-district size"


def _units(area: str) -> list[tuple[int | None, int | None]]:
    """(district id, unit id) of every area records are spread over."""
    from scpvn.geo.models import District, Ward

    if area == "district":
        districts = list(District.objects.filter(province__code="01").order_by("code"))
        assert len(districts) == DISTRICTS, len(districts)
        return [(d.pk, None) for d in districts]
    wards = list(Ward.objects.filter(province__code="01").select_related("unit").order_by("code"))
    assert len(wards) == WARDS, len(wards)
    return [(None, w.unit_id) for w in wards]


def populate(area: str, records: int) -> tuple[object, int, int]:
    """The 2020 plan, its subjects, responses and activities on the areas of `area`.
    Returns (plan, responses, activities)."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.bench_indicators import ANSWER_COLUMNS, MIX, _insert, _value
    from scpvn.assessments.models import Questionnaire
    from scpvn.orgs.models import Agency
    from scpvn.plans.models import Deliverable, Indicator
    from scpvn.plans.planfile import read_plan_file
    from scpvn.plans.services import load_plan
    from scpvn.progress.models import Activity
    from scpvn.registry.demo import tax_codes
    from scpvn.registry.models import Enterprise, IndustrialZone, Place

    plan = load_plan(read_plan_file(settings.SCPVN_DEFAULT_PLAN_FILE)).plan
    if area == "ward":
        plan.indicators.exclude(method=None).update(level=Indicator.Level.COMMUNE)
    areas = _units(area)
    rng = random.Random(12)
    responses_n = records * 4 // 5
    activities_n = records - responses_n
    subjects_n = max(len(areas), responses_n // 4)  # each subject answers about 4 times
    zone = IndustrialZone.objects.first()
    kinds = [("distribution", 0.35), ("zone", 0.25), ("food", 0.30), ("plastic", 0.10)]
    codes = iter(tax_codes(subjects_n + len(kinds)))
    enterprises = []
    for kind, share in kinds:
        for _ in range(int(subjects_n * share * 0.6) + 1):
            district, unit = rng.choice(areas)
            enterprises.append(
                Enterprise(
                    tax_code=next(codes),
                    name=f"DN {kind}",
                    district_id=district,
                    unit_id=unit,
                    vsic_code={"food": "1010", "plastic": "22201"}.get(kind, "4711"),
                    distribution="supermarket" if kind == "distribution" else "",
                    industrial_zone=zone if kind == "zone" else None,
                )
            )
    Enterprise.objects.bulk_create(enterprises, batch_size=2000)
    places = []
    for kind, cls in (("market", 2), ("supermarket", None)):
        for i in range(int(subjects_n * 0.2) + 1):
            district, unit = rng.choice(areas)
            places.append(
                Place(
                    kind=kind,
                    name=f"{kind} {i}",
                    district_id=district,
                    unit_id=unit,
                    market_class=cls,
                )
            )
    Place.objects.bulk_create(places, batch_size=2000)
    pools = {
        "distribution": Enterprise.objects.exclude(distribution=""),
        "zone": Enterprise.objects.filter(industrial_zone__isnull=False),
        "food": Enterprise.objects.filter(vsic_code="1010"),
        "plastic": Enterprise.objects.filter(vsic_code="22201"),
        "market": Place.objects.filter(kind="market"),
        "shop": Place.objects.filter(kind="supermarket"),
    }
    now = dt.datetime.now(dt.UTC)
    columns = (
        "id", "questionnaire_id", "enterprise_id", "place_id", "district_id", "unit_id",
        "date", "created_at",
    )  # fmt: skip
    response_id = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for code, (share, subject_kind) in MIX.items():
            questionnaire = Questionnaire.objects.filter(code=code).order_by("-version").first()
            questions = list(questionnaire.questions.all())
            pool = list(pools[subject_kind].values_list("id", "district_id", "unit_id"))
            is_place = subject_kind in ("market", "shop")
            count = int(responses_n * share)
            for start in range(0, count, 20_000):
                responses, answers = [], []
                for _ in range(min(20_000, count - start)):
                    response_id += 1
                    subject, district, unit = rng.choice(pool)
                    day = dt.date(2020, rng.randint(1, 12), rng.randint(1, 28))
                    ids = (None, subject) if is_place else (subject, None)
                    responses.append(
                        (response_id, questionnaire.pk, *ids, district, unit, day, now)
                    )
                    answers += [(response_id, q.pk, *_value(rng, q), "") for q in questions]
                _insert(cursor, "assessments_response", columns, responses)
                _insert(cursor, "assessments_answer", ANSWER_COLUMNS, answers)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('assessments_response', 'id'), %s)",
                [response_id],
            )
    deliverables = list(Deliverable.objects.filter(task__plan=plan).select_related("task"))
    agency = Agency.objects.get(code="SCT")
    approved = timezone.make_aware(dt.datetime(2020, 12, 1))
    activities = []
    for i in range(activities_n):
        deliverable = deliverables[i % len(deliverables)]
        district, unit = rng.choice(areas)
        activities.append(
            Activity(
                task=deliverable.task,
                deliverable=deliverable,
                agency=agency,
                district_id=district,
                unit_id=unit,
                date=dt.date(2020, 7, 1) + dt.timedelta(days=i % 180),
                quantity=Decimal(1),
                title=f"bench {i}",
                status=Activity.Status.APPROVED,
                approved_at=approved,
            )
        )
    Activity.objects.bulk_create(activities, batch_size=2_000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return plan, response_id, activities_n


def _time_page(client, url: str) -> tuple[float, int]:
    """Median seconds of 5 renders, each with an empty cache, and the queries of the last."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(5):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries.captured_queries)


def measure() -> None:
    """(In the child, on its throwaway database.) Print one JSON line of figures."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from scpvn.indicators.models import IndicatorValue
    from scpvn.indicators.services import compute_plan, leaf_indicators
    from scpvn.orgs.models import User
    from scpvn.orgs.roles import Role

    area = os.environ["SCPVN_BENCH_UNITS_AREA"]
    records = int(os.environ["SCPVN_BENCH_UNITS_RECORDS"])
    start = time.perf_counter()
    plan, responses, activities = populate(area, records)
    filled = time.perf_counter() - start
    start = time.perf_counter()
    stored = compute_plan(plan)
    computed = time.perf_counter() - start
    by_unit = IndicatorValue.objects.filter(indicator__plan=plan, period="2020")
    areas = by_unit.exclude(district=None, unit=None).values("district", "unit").distinct().count()
    user = User.objects.create(username="bench-units", role=Role.CITY_ADMIN, full_name="Bench")
    client = Client()
    client.force_login(user)
    pages = {
        "staff dashboard": reverse("progress:dashboard") + f"?plan={plan.slug}",
        "indicator dashboard": reverse("indicators:dashboard") + f"?plan={plan.slug}",
    }
    figures = {}
    for label, url in pages.items():
        figures[label] = _time_page(client, url)
    detail_s, detail_q = 0.0, 0
    for indicator in leaf_indicators(plan):
        if indicator.method.get("kind") == "manual":
            continue
        seconds, queries = _time_page(
            client, reverse("indicators:detail", args=[indicator.pk]) + "?period=2020"
        )
        detail_s += seconds
        detail_q += queries
    figures["indicator pages (all computed, summed)"] = (detail_s, detail_q)
    print(
        json.dumps(
            {
                "engine": connection.vendor,
                "responses": responses,
                "activities": activities,
                "areas with values": areas,
                "values stored": stored,
                "fill_s": filled,
                "compute_s": computed,
                "pages": {k: {"s": s, "queries": q} for k, (s, q) in figures.items()},
            }
        )
    )


def run() -> None:
    from bench.throwaway import child_code, drop_pg_database, engines, pg_available

    only = os.environ.get("SCPVN_BENCH_UNITS_ENGINE") or (
        "PostgreSQL" if pg_available() else "SQLite"
    )
    results = {}
    # one comparison: the sizes are the units (30 → 126), the records grow with them
    for records in ladder("units")[-1:]:
        for area, n_units in (("district", DISTRICTS), ("ward", WARDS)):
            n = records if area == "ward" else round(records * DISTRICTS / WARDS)
            database = f"scpvn_bench_units_{area}_{os.getpid()}"
            [(label, url, tmp)] = engines(database, only=only)
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "SCPVN_VAR_DIR": str(tmp),
                "MEDIA_ROOT": str(tmp / "media"),
                "SCPVN_BENCH_UNITS_AREA": area,
                "SCPVN_BENCH_UNITS_RECORDS": str(n),
            }
            try:
                done = subprocess.run(
                    [sys.executable, "-c", child_code("bench.bench_units")],
                    env=env,
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=1800,
                )
            finally:
                if label == "PostgreSQL":
                    drop_pg_database(database)
                shutil.rmtree(tmp, ignore_errors=True)
            if done.returncode:
                raise RuntimeError(f"bench_units {area} failed:\n{done.stderr[-3000:]}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results[area] = result
            print(
                f"  {label}, {n_units} {area}s, {n:,} records ({result['responses']:,} responses, "
                f"{result['activities']:,} activities): filled {result['fill_s']:.0f} s, "
                f"engine {result['compute_s']:.1f} s for {result['values stored']:,} values "
                f"on {result['areas with values']} areas",
                flush=True,
            )
        district, ward = results["district"]["pages"], results["ward"]["pages"]
        print(f"  {'page':<40} {'30 districts':>14} {'126 wards':>14} {'ratio':>7}  queries")
        for page in district:
            a, b = district[page], ward[page]
            ratio = b["s"] / a["s"] if a["s"] else float("inf")
            print(
                f"  {page:<40} {a['s'] * 1000:>11.1f} ms {b['s'] * 1000:>11.1f} ms "
                f"{ratio:>6.2f}×  {a['queries']} → {b['queries']}",
                flush=True,
            )
            for n_units, point, ratio_value in ((DISTRICTS, a, None), (WARDS, b, ratio)):
                record(
                    "units",
                    f"{page}, {only} (ms)",
                    size=n_units,
                    value=point["s"] * 1000,
                    unit="ms",
                    ratio=ratio_value,
                    aim=AIM if ratio_value is not None else "",
                )
                record(
                    "units",
                    f"{page} queries",
                    size=n_units,
                    value=point["queries"],
                    unit="queries",
                )
