import datetime as dt

import pytest
from django.core.management import call_command

from scpvn.plans.models import Plan
from scpvn.progress.models import Activity
from scpvn.progress.status import Status, plan_progress
from scpvn.reports.models import Report

pytestmark = pytest.mark.django_db


def test_demo_year_has_something_true_on_every_page(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "load")
    call_command("demo", "load")  # idempotent
    plan = Plan.objects.get(code="96/KH-UBND")
    approved = Activity.objects.filter(status=Activity.Status.APPROVED)
    assert set(approved.values_list("task__number", flat=True)) == set(range(1, 11))
    assert (
        Activity.objects.filter(status=Activity.Status.RETURNED).exclude(review_comment="").exists()
    )
    assert Activity.objects.filter(status=Activity.Status.SUBMITTED).exists()
    # every demo module dates its work inside the 2020 plan, so no figure counts a future day
    assert not Activity.objects.filter(date__year__gt=2020).exists()
    assert approved.filter(district__isnull=False).values("district").distinct().count() >= 8
    year_end = plan_progress(plan, dt.date(2020, 12, 31), known_at=None)
    statuses = {d.status for t in year_end.tasks for d in t.deliverables}
    assert {Status.DONE, Status.LATE} <= statuses
    first_half = plan_progress(plan, dt.date(2020, 6, 30))
    assert any(d.achieved for t in first_half.tasks for d in t.deliverables)
    reports = {r.period: r for r in Report.objects.filter(plan=plan)}
    assert reports["2020-H1"].status == Report.Status.APPROVED
    assert reports["2020"].status == Report.Status.SUBMITTED
    assert all(r.snapshot and r.sections.exists() for r in reports.values())
    # Every activity an agency recorded (not those other modules produce) has its PDF.
    recorded = Activity.objects.filter(source_id__isnull=True).exclude(
        status=Activity.Status.RETURNED
    )
    assert len(list((tmp_path / "evidence").rglob("*.pdf"))) == recorded.count()


def test_demo_activities_are_data_checked_on_reading(tmp_path):
    """The 49 activities of the demo year come from the YAML file; a wrong value names the
    file and the entry instead of failing halfway through a load."""
    from scpvn.progress.demo import DATA, read_demo

    data = read_demo()
    statuses = [a.status for a in data.activities]
    assert len(data.activities) == 49
    # the Python literal the file replaced, less the 9 that counted a module's output again
    assert {s: statuses.count(s) for s in set(statuses)} == {
        "approved": 42,
        "submitted": 3,
        "returned": 3,
        "draft": 1,
    }
    assert all(a.comment for a in data.activities if a.status == "returned")
    broken = tmp_path / "demo.yaml"
    broken.write_text(
        DATA.read_text(encoding="utf-8").replace("status: submitted", "status: sent", 1)
    )
    with pytest.raises(ValueError, match=r"demo\.yaml: activities\.\d+\.status"):
        read_demo(broken)


# The outputs found counted twice: handbooks, flyers, posters, firms surveyed, chain-1 booths.
MODULE_FED = ("1.4", "8.3", "8.4", "4.1", "3.2")


def test_demo_counts_each_output_once_and_every_surface_agrees(tmp_path, settings, client):
    """On the demo no deliverable's figure counts one output twice, and the public portal,
    the open data, the staff dashboard and the report show the same figure for each."""
    from django.contrib.auth import get_user_model
    from django.db.models import Sum
    from django.urls import reverse

    from scpvn.portal.services import progress_records
    from scpvn.progress.overlaps import find_overlaps
    from scpvn.progress.status import known_at
    from scpvn.reports.services import compute_figures

    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "load")
    plan = Plan.objects.get(code="96/KH-UBND")
    assert find_overlaps(plan) == []
    # the competitiveness survey ran on its questionnaire of the engine: answers entered
    # through it (one response per answering sampled enterprise), 3 sector reports and a summary
    from scpvn.assessments.models import Response
    from scpvn.surveys.models import Survey

    survey = Survey.objects.get()
    answered = survey.responses.answered().count()
    assert survey.questionnaire.code == "NLCT-2020" and survey.responses.count() == 90
    assert Response.objects.filter(assignment__survey_sample__survey=survey).count() == answered
    assert 70 < answered < 90 and survey.reports.count() == 4
    year_end = dt.date(2020, 12, 31)
    progress = plan_progress(plan, year_end, known_at=known_at(year_end))
    figure = {d.deliverable.code: d for t in progress.tasks for d in t.deliverables}
    for code in MODULE_FED:
        records = Activity.objects.filter(
            deliverable__task__plan=plan, deliverable__code=code, status="approved"
        )
        module = records.filter(source_type__isnull=False).aggregate(n=Sum("quantity"))["n"]
        assert module and figure[code].achieved == module, code
        assert not records.filter(source_type__isnull=True, module_record__isnull=True)
    # the portal and its open data
    public = {row["deliverable"]: row["done"] for row in progress_records(plan)}
    assert public == {d.deliverable.display_code: float(d.achieved) for d in figure.values()}
    # the staff dashboard
    client.force_login(get_user_model().objects.get(username="lanhdao.sct"))
    page = client.get(reverse("progress:dashboard"), {"plan": plan.slug})
    dashboard = page.context["progress"]
    assert dashboard.as_of == year_end
    assert {d.deliverable.code: d.achieved for t in dashboard.tasks for d in t.deliverables} == {
        code: d.achieved for code, d in figure.items()
    }
    # the year's report, computed now
    report = Report.objects.get(plan=plan, period="2020")
    reported = {
        d["code"]: d["achieved"]
        for t in compute_figures(report)["tasks"]
        for d in t["deliverables"]
    }
    assert reported == {code: format(d.achieved.normalize(), "f") for code, d in figure.items()}
