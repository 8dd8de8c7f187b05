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
    assert (
        len(list(tmp_path.rglob("*.pdf")))
        == approved.count()
        + Activity.objects.filter(
            status__in=[Activity.Status.SUBMITTED, Activity.Status.DRAFT]
        ).count()
    )
