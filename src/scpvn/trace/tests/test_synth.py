"""`scpvn synth` at a tiny size: the counts it promises, identifiers that pass their check
digits (tax codes, GTINs, GLNs) on the installed province's 2025 units, and on PostgreSQL
the planner's statistics gathered."""

import io

from django.core.management import call_command
from django.db import connection
from stdnum import ean
from stdnum.vn import mst

from scpvn.geo.models import Unit
from scpvn.progress.models import Activity
from scpvn.registry.models import Enterprise, Place, VsicCode
from scpvn.trace.models import Event, EventEPC, Location, Lot, Product
from scpvn.trace.synth import CHAIN, LINKS_PER_EVENT


def test_synth_tiny_province(hanoi_plan):
    before = Enterprise.objects.count()
    call_command("synth", "--scale", "0.002", "--events", "500", stdout=io.StringIO())
    enterprises = Enterprise.objects.order_by("pk")[before:]
    assert len(enterprises) == 200
    if connection.vendor == "postgresql":  # the planner has statistics for every table
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'registry_enterprise'")
            assert cursor.fetchone()[0] >= 200
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples < 0 "
                "AND relnamespace = current_schema()::regnamespace"
            )
            assert cursor.fetchall() == []
    assert all(mst.is_valid(e.tax_code) and len(e.tax_code) == 10 for e in enterprises)
    vsic = set(VsicCode.objects.values_list("code", flat=True))
    assert {e.vsic_code for e in enterprises} <= vsic
    communes = Unit.objects.filter(pk__in={e.unit_id for e in enterprises})
    assert {(u.level, u.valid_to, u.parent.level) for u in communes} == {
        ("commune", None, "province")
    }
    assert Place.objects.count() == 6
    assert Activity.objects.filter(deliverable__task__plan=hanoi_plan).count() == 100
    lots = Lot.objects.count()
    assert lots == 500 // len(CHAIN)
    assert Event.objects.count() == lots * len(CHAIN)
    assert EventEPC.objects.count() == Event.objects.count() * LINKS_PER_EVENT
    assert all(
        ean.is_valid(g) and len(g) == 14 for g in Product.objects.values_list("gtin", flat=True)
    )
    assert all(
        ean.is_valid(g) and len(g) == 13 for g in Location.objects.values_list("gln", flat=True)
    )
    # a lot's chain is what the resolver reads: its events found through the GTIN + lot links
    lot = Lot.objects.select_related("product").first()
    steps = Event.objects.filter(
        identifiers__gtin=lot.product.gtin, identifiers__lot=lot.code
    ).values_list("biz_step", flat=True)
    assert sorted(steps) == sorted(step for step, _action in CHAIN)
    # a second run adds, never collides
    call_command("synth", "--scale", "0.001", "--events", "50", stdout=io.StringIO())
    assert Enterprise.objects.count() == before + 300


def test_synth_records_activities_when_the_latest_plan_holds_targets_only(hanoi_plan):
    """After `demo load` the app opens on the 2026 plan, which encodes targets only (its
    text's tasks are not found): synth printed "activities 50,000" and wrote none, so the
    benchmarks measured the dashboard of a province without activities."""
    from django.conf import settings

    from scpvn.plans.planfile import read_plan_file
    from scpvn.plans.services import current_plan, load_plan

    later = load_plan(read_plan_file(settings.BASE_DIR / "plans" / "hanoi-2026.yaml")).plan
    assert current_plan() == later and not later.tasks.exists()
    call_command("synth", "--scale", "0.001", "--events", "50", stdout=io.StringIO())
    assert Activity.objects.filter(deliverable__task__plan=hanoi_plan).count() == 50
