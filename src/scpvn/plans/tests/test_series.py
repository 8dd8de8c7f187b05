"""Plans as a series: numbers restart each year, so a plan is issuer + number + date, and an
agency's name belongs to the plan that wrote it."""

import copy
import datetime as dt

import pytest

from scpvn.orgs.models import Agency
from scpvn.plans.models import Plan
from scpvn.plans.planfile import read_plan_file
from scpvn.plans.schema import PlanDocument
from scpvn.plans.services import export_plan, load_plan
from scpvn.plans.tests.test_planfile import HANOI

pytestmark = pytest.mark.django_db


def same_number_in_2026(data: dict) -> dict:
    """The same issuer and number, six years later, with today's department names."""
    later = copy.deepcopy(data)
    later.pop("slug", None)
    later["issued"] = dt.date(2026, 1, 15)
    later["period"] = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}
    for task in later["tasks"]:
        task["start"] = "2026" + task["start"][4:]
        task["end"] = "2026" + task["end"][4:]
    for agency in later["agencies"]:
        if agency["code"] == "STNMT":
            agency["name"] = "Sở Nông nghiệp và Môi trường"
    for ind in later["indicators"]:
        if ind.get("deadline"):
            ind["deadline"] = dt.date(2026, 12, 31)
    later["tasks"][0]["title"] = "Tuyên truyền trên các xã, phường"
    return later


def test_same_number_next_years_is_another_plan(mini_plan_data):
    first = load_plan(PlanDocument.model_validate(mini_plan_data)).plan
    before = export_plan(first)
    later_data = same_number_in_2026(mini_plan_data)
    second = load_plan(PlanDocument.model_validate(later_data)).plan

    assert Plan.objects.count() == 2
    assert first.pk != second.pk
    first.refresh_from_db()
    assert export_plan(first) == before, "the 2020 plan must stay whole"
    assert export_plan(second)["tasks"][0]["title"] == "Tuyên truyền trên các xã, phường"
    assert first.slug != second.slug

    for data in (mini_plan_data, later_data):
        again = load_plan(PlanDocument.model_validate(data))
        assert not again.changed, again.changes


def test_reused_agency_code_keeps_the_old_name_in_the_old_plan(mini_plan_data):
    first = load_plan(PlanDocument.model_validate(mini_plan_data)).plan
    second = load_plan(PlanDocument.model_validate(same_number_in_2026(mini_plan_data))).plan

    old = {a["code"]: a["name"] for a in export_plan(first)["agencies"]}
    new = {a["code"]: a["name"] for a in export_plan(second)["agencies"]}
    assert old["STNMT"] == "Sở Tài nguyên và Môi trường"
    assert new["STNMT"] == "Sở Nông nghiệp và Môi trường"
    assert first.agency_name(Agency.objects.get(code="STNMT")) == "Sở Tài nguyên và Môi trường"
    # The agency itself is known by its newest name.
    assert Agency.objects.get(code="STNMT").name == "Sở Nông nghiệp và Môi trường"


def test_loading_an_older_plan_after_a_newer_one_does_not_rename_back(mini_plan_data):
    load_plan(PlanDocument.model_validate(same_number_in_2026(mini_plan_data)))
    load_plan(PlanDocument.model_validate(mini_plan_data))
    assert Agency.objects.get(code="STNMT").name == "Sở Nông nghiệp và Môi trường"


def test_hanoi_2020_and_a_same_numbered_2026_plan_both_stay_whole():
    doc = read_plan_file(HANOI)
    first = load_plan(doc).plan
    later = same_number_in_2026(doc.model_dump(mode="python"))
    load_plan(PlanDocument.model_validate(later))
    first.refresh_from_db()
    assert export_plan(first) == doc.model_dump(mode="json")


def test_export_names_a_plan_by_slug_or_number_and_year(mini_plan_data, tmp_path):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    load_plan(PlanDocument.model_validate(mini_plan_data))
    later = load_plan(PlanDocument.model_validate(same_number_in_2026(mini_plan_data))).plan
    with pytest.raises(CommandError, match="ha-noi-01-kh-test-2020, ha-noi-01-kh-test-2026"):
        call_command("plan", "export", "01/KH-TEST")
    out = tmp_path / "p.json"
    call_command("plan", "export", "01/KH-TEST", "--year", "2026", "--format", "json", "--out", out)
    assert json.loads(out.read_text(encoding="utf-8"))["issued"] == "2026-01-15"
    call_command("plan", "export", later.slug, "--format", "json", "--out", out)
    assert json.loads(out.read_text(encoding="utf-8"))["slug"] == "ha-noi-01-kh-test-2026"


def with_range(data: dict, low, high) -> dict:
    data = copy.deepcopy(data)
    ind = data["indicators"][0]
    del ind["target"]
    ind["target_min"], ind["target_max"] = low, high
    return data


def test_target_range_round_trips(mini_plan_data):
    plan = load_plan(PlanDocument.model_validate(with_range(mini_plan_data, 70, 80))).plan
    ind = plan.indicators.get(code="4.1")
    assert (ind.target, ind.target_min, ind.target_max, ind.goal) == (None, 70, 80, 70)
    exported = export_plan(plan)["indicators"][0]
    assert (exported["target_min"], exported["target_max"]) == (70, 80)


def test_reversed_range_is_a_located_error_and_nothing_is_written(mini_plan_data, tmp_path):
    import yaml
    from django.core.management import call_command

    from scpvn.plans.tests.test_planfile import problems_for

    text = yaml.safe_dump(with_range(mini_plan_data, 80, 70), allow_unicode=True, sort_keys=False)
    lines = text.splitlines()
    (problem,) = problems_for(text)
    line = lines.index("  target_max: 70") + 1
    assert problem.startswith(f"plan.yaml:{line}: indicators[0].target_max: khoảng mục tiêu ngược")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("plan", "load", str(path))
    assert not Plan.objects.exists()


def test_target_and_range_together_are_refused(mini_plan_data):
    import yaml

    from scpvn.plans.tests.test_planfile import problems_for

    data = with_range(mini_plan_data, 70, 80)
    data["indicators"][0]["target"] = 75
    (problem,) = problems_for(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert "indicators[0].target: ghi target hoặc khoảng" in problem


@pytest.mark.parametrize(
    "frequency", ["monthly", "quarterly", "semiannual", "annual", "on_request"]
)
def test_reporting_frequencies(mini_plan_data, frequency):
    mini_plan_data["reporting"][0]["frequency"] = frequency
    plan = load_plan(PlanDocument.model_validate(mini_plan_data)).plan
    assert plan.reporting.get().frequency == frequency


def test_unknown_agency_in_replaces_is_skipped_but_merger_is_recorded(mini_plan_data):
    from scpvn.plans.models import AgencySuccession

    later = same_number_in_2026(mini_plan_data)
    later["agencies"] = [a for a in later["agencies"] if a["code"] != "STNMT"]
    later["tasks"][0]["partners"] = ["SNNMT"]
    later["agencies"].append(
        {
            "code": "SNNMT",
            "name": "Sở Nông nghiệp và Môi trường",
            "kind": "department",
            "replaces": ["STNMT", "SNNPTNT"],
        }
    )
    load_plan(PlanDocument.model_validate(later))
    assert not AgencySuccession.objects.exists()  # STNMT appears only once the 2020 plan loads
    load_plan(PlanDocument.model_validate(mini_plan_data))
    link = AgencySuccession.objects.get()
    assert (link.predecessor.code, link.successor.code, link.since) == (
        "STNMT",
        "SNNMT",
        dt.date(2026, 1, 15),
    )


def test_series_page_and_api_show_each_years_target(mini_plan_data, client, users):
    from django.urls import reverse

    mini_plan_data["indicators"][0]["series"] = "sxsh-phan-phoi"
    first = load_plan(PlanDocument.model_validate(mini_plan_data)).plan
    later = with_range(same_number_in_2026(mini_plan_data), 70, 80)
    second = load_plan(PlanDocument.model_validate(later)).plan
    client.force_login(users["agency_officer"])
    data = client.get("/api/series/sxsh-phan-phoi/").json()
    years = [
        (r["year"], r["plan"], r["target"], r["target_min"], r["target_max"]) for r in data["years"]
    ]
    assert years == [
        (2020, first.slug, 50, None, None),
        (2026, second.slug, None, 70, 80),
    ]
    html = client.get(reverse("plans:series", args=["sxsh-phan-phoi"])).content.decode()
    assert html.index("2020") < html.index("2026") and "70–80 %" in html
    missing = client.get("/api/series/khong-co/")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("parent_first", [True, False])
def test_yearly_plan_links_to_the_plan_it_implements(mini_plan_data, parent_first):
    child = same_number_in_2026(mini_plan_data)
    child["code"] = "02/KH-TEST"
    child["implements"] = {"code": "01/KH-TEST", "date": dt.date(2020, 5, 7)}
    docs = [PlanDocument.model_validate(d) for d in (mini_plan_data, child)]
    for doc in docs if parent_first else reversed(docs):
        load_plan(doc)
    parent = Plan.objects.get(code="01/KH-TEST")
    assert [p.code for p in parent.children.all()] == ["02/KH-TEST"]
    for doc in docs:
        assert not load_plan(doc).changed


def test_unknown_number_needs_an_incomplete_plan(mini_plan_data):
    import yaml

    from scpvn.plans.tests.test_planfile import problems_for

    mini_plan_data["code"] = None
    mini_plan_data["slug"] = "ha-noi-khong-so-2020"
    problems = problems_for(yaml.safe_dump(mini_plan_data, allow_unicode=True, sort_keys=False))
    assert any("code: chỉ được để trống" in p for p in problems), problems


def test_report_keeps_the_agency_names_of_its_plan(mini_plan_data):
    from scpvn.reports.services import compute_figures, document, open_report

    mini_plan_data["agencies"][0]["name"] = "Sở Công Thương Hà Nội"
    first = load_plan(PlanDocument.model_validate(mini_plan_data)).plan
    report = open_report(first.reporting.get(code="6T"), "2020-H1")
    later = same_number_in_2026(mini_plan_data)
    later["agencies"][0]["name"] = "Sở Công Thương thành phố Hà Nội (2026)"
    load_plan(PlanDocument.model_validate(later))
    assert Agency.objects.get(code="SCT").name.endswith("(2026)")

    doc = document(report)
    assert doc["agency"] == "SỞ CÔNG THƯƠNG HÀ NỘI"
    assert compute_figures(report)["tasks"][0]["lead"] == "Sở Công Thương Hà Nội"


def test_quarterly_duty_asks_for_each_quarter(mini_plan_data):
    from scpvn.reports.services import periods_for

    mini_plan_data["reporting"][0]["frequency"] = "quarterly"
    plan = load_plan(PlanDocument.model_validate(mini_plan_data)).plan
    codes = [p.code for p in periods_for(plan.reporting.get())]
    assert codes == ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
