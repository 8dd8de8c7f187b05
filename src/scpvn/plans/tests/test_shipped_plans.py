"""The plans shipped as data: each validates, says where it comes from and what is missing,
and the demo loads them side by side without touching each other."""

from pathlib import Path

import pytest
from django.conf import settings

from scpvn.plans import demo
from scpvn.plans.models import Plan
from scpvn.plans.planfile import read_plan_file
from scpvn.plans.services import export_plan, indicator_series, load_plan

PLANS = Path(settings.SCPVN_DEFAULT_PLAN_FILE).parent
SHIPPED = sorted(PLANS.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_plan_is_valid_and_honest_about_gaps(path):
    doc = read_plan_file(path)
    assert doc.slug
    if not doc.complete:
        assert doc.sources and doc.missing, "an incomplete plan names its sources and gaps"
    assert all(s.url.startswith("https://") for s in doc.sources)


@pytest.mark.django_db
def test_demo_loads_2020_and_2026_side_by_side():
    demo.load(lambda _line: None)
    slugs = set(Plan.objects.values_list("slug", flat=True))
    assert {"ha-noi-96-kh-ubnd-2020", "ha-noi-scp-2026"} <= slugs
    first = Plan.objects.get(slug="ha-noi-96-kh-ubnd-2020")
    assert export_plan(first) == read_plan_file(settings.SCPVN_DEFAULT_PLAN_FILE).model_dump(
        mode="json"
    )
    later = Plan.objects.get(slug="ha-noi-scp-2026")
    assert later.code == "" and later.issued is None and not later.complete
    assert later.indicators.filter(level="commune").count() == 3
    ranges = later.indicators.exclude(target_min=None)
    assert sorted((r.target_min, r.target_max) for r in ranges) == [(7, 7.5), (70, 80)]

    years = [i.plan.period_start.year for i in indicator_series("hn-sieu-thi-khong-tui-nilon")]
    assert years == [2020, 2024, 2026]

    for path in [settings.SCPVN_DEFAULT_PLAN_FILE, *settings.SCPVN_DEMO_PLAN_FILES]:
        again = load_plan(read_plan_file(path))
        assert not again.changed, again.changes


@pytest.mark.django_db
def test_other_province_plan_loads_beside_hanoi():
    load_plan(read_plan_file(settings.SCPVN_DEFAULT_PLAN_FILE))
    plan = load_plan(read_plan_file(PLANS / "dong-thap-42-kh-ubnd-2024.yaml")).plan
    assert (plan.code, plan.issuer, str(plan.issued)) == (
        "42/KH-UBND",
        "UBND tỉnh Đồng Tháp",
        "2024-02-02",
    )
    assert plan.implements["code"] == "07/KH-UBND" and plan.parent is None
    assert Plan.objects.count() == 2


NOT_FOUND = "Không tìm thấy"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_indicator_and_duty_has_a_responsible_agency_or_says_none_is_named(path):
    """A lead comes from the plan's text: where the text names none, the file says so
    instead of inventing one."""
    doc = read_plan_file(path)
    for indicator in doc.indicators:
        if indicator.lead is None:
            assert indicator.lead_source and indicator.lead_source.startswith(NOT_FOUND), (
                indicator.code
            )
    assert all(duty.agency for duty in doc.duties)


def test_5_2_3_has_the_lead_plan_96_names_for_the_indicators_of_part_i_items_4_and_5():
    doc = read_plan_file(PLANS / "hanoi-96-kh-ubnd-2020.yaml")
    indicator = next(i for i in doc.indicators if i.code == "5.2.3")
    assert indicator.lead == "STNMT" and "mục 4, 5, phần I" in indicator.lead_source
    # the text names the environment department's duty, which says exactly that
    duty = next(d for d in doc.duties if "mục 4, 5, phần I" in d.text)
    assert duty.agency == "STNMT"
