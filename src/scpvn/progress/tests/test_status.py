import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from scpvn.progress.status import Status, classify, elapsed_share, plan_progress
from scpvn.progress.tests.factories import approved

pytestmark = pytest.mark.django_db


def deliverable(progress, code):
    return next(d for t in progress.tasks for d in t.deliverables if d.deliverable.code == code)


def test_elapsed_share_is_zero_before_and_one_after_the_window():
    start, end = dt.date(2020, 7, 1), dt.date(2020, 10, 31)
    assert elapsed_share(start, end, dt.date(2020, 6, 30)) == 0
    assert elapsed_share(start, end, dt.date(2020, 11, 1)) == 1
    assert 0.49 < elapsed_share(start, end, dt.date(2020, 8, 31)) < 0.51


@pytest.mark.parametrize(
    ("progress", "elapsed", "achieved", "after_end", "expected"),
    [
        (1.0, 0.5, Decimal(30), False, Status.DONE),
        (0.9, 1.0, Decimal(27), True, Status.LATE),
        (0.0, 0.1, Decimal(0), False, Status.NOT_STARTED),
        (0.0, 0.5, Decimal(0), False, Status.AT_RISK),
        (0.45, 0.5, Decimal(13), False, Status.ON_TRACK),
        (0.3, 0.5, Decimal(9), False, Status.AT_RISK),
    ],
)
def test_classify(progress, elapsed, achieved, after_end, expected):
    assert classify(progress, elapsed, achieved, after_end) == expected


@override_settings(SCPVN_STATUS={"GRACE_SHARE": 0.15, "ON_TRACK_RATIO": 0.5, "MILESTONE_MONTHS": 3})
def test_thresholds_come_from_settings():
    assert classify(0.3, 0.5, Decimal(9), False) == Status.ON_TRACK


def test_status_at_a_past_date_counts_only_what_was_approved_by_then(mini_plan):
    # 1.1: 30 articles, window 07–10/2020.
    approved("1.1", 10, dt.date(2020, 7, 20), approved_on=dt.date(2020, 7, 25))
    approved("1.1", 20, dt.date(2020, 8, 10), approved_on=dt.date(2020, 9, 15))
    on_aug_31 = deliverable(plan_progress(mini_plan, dt.date(2020, 8, 31)), "1.1")
    assert on_aug_31.achieved == 10  # the August article was approved only in September
    assert on_aug_31.status == Status.AT_RISK
    on_sep_30 = deliverable(plan_progress(mini_plan, dt.date(2020, 9, 30)), "1.1")
    assert on_sep_30.achieved == 30 and on_sep_30.status == Status.DONE
    # Recomputing the past gives the same answer after later records exist.
    again = deliverable(plan_progress(mini_plan, dt.date(2020, 8, 31)), "1.1")
    assert again.achieved == 10


def test_report_may_count_late_approvals_of_work_done_in_the_period(mini_plan):
    from django.utils import timezone

    approved("1.1", 5, dt.date(2020, 8, 10), approved_on=dt.date(2020, 9, 15))
    progress = plan_progress(mini_plan, dt.date(2020, 8, 31), known_at=timezone.now())
    assert deliverable(progress, "1.1").achieved == 5


def test_late_after_the_window_and_task_is_as_bad_as_its_worst_deliverable(mini_plan):
    approved("2.1", 3, dt.date(2020, 9, 1))
    progress = plan_progress(mini_plan, dt.date(2020, 12, 1))
    task2 = next(t for t in progress.tasks if t.task.number == 2)
    assert task2.status == Status.LATE and task2.percent == 60


def test_deliverable_without_target_uses_milestones(mini_plan):
    # 1.2 has no number; window 07–10/2020 = 4 months → 2 milestones (one per 3 months).
    approved("1.2", 0, dt.date(2020, 7, 15))
    item = deliverable(plan_progress(mini_plan, dt.date(2020, 8, 1)), "1.2")
    assert item.milestones and item.target == 2 and item.achieved == 1
    assert item.status == Status.ON_TRACK
    approved("1.2", 0, dt.date(2020, 9, 15))
    assert deliverable(plan_progress(mini_plan, dt.date(2020, 9, 30)), "1.2").status == Status.DONE


def test_unapproved_activities_do_not_count(mini_plan):
    from scpvn.progress.models import Activity

    activity = approved("1.1", 30, dt.date(2020, 7, 20))
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.SUBMITTED)
    item = deliverable(plan_progress(mini_plan, dt.date(2020, 12, 31)), "1.1")
    assert item.achieved == 0 and item.status == Status.LATE
