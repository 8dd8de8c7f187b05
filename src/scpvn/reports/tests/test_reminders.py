"""Reminders go through the real database-backed queue and its worker."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from scpvn.notifications.models import Notification
from scpvn.progress.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    """The worker drops connections it thinks stale; inside a test's transaction (on
    PostgreSQL) that would be the test's own connection. Everything else is the real worker."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def run_worker():
    call_command("reminders")
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)


def test_deadline_overdue_and_report_reminders_are_sent_once(users, settings, mini_plan):
    settings.SCPVN_TODAY = "2020-10-28"  # task 1 ended 31/10 → due; report 2020-H1 overdue
    officer = users["agency_officer"]
    officer.email = "canbo@sct.hanoi.gov.vn"
    officer.save()
    run_worker()
    messages = sorted(Notification.objects.filter(user=officer).values_list("message", flat=True))
    assert any("Nhiệm vụ 1 đến hạn 31/10/2020" in m for m in messages)
    assert any("Báo cáo 6 tháng đầu năm 2020 đã quá hạn nộp 15/07/2020" in m for m in messages)
    sent = len(mail.outbox)
    assert sent >= 2 and all(m.to == ["canbo@sct.hanoi.gov.vn"] for m in mail.outbox)
    run_worker()  # the same day again: nobody is told twice
    assert len(mail.outbox) == sent

    settings.SCPVN_TODAY = "2020-11-05"
    run_worker()
    assert Notification.objects.filter(
        user=officer, message__contains="đã quá hạn 31/10/2020"
    ).exists()


def test_stale_draft_reminds_its_author(users, settings, mini_plan):
    settings.SCPVN_TODAY = timezone.localdate().isoformat()
    officer = users["agency_officer"]
    draft = Activity.objects.create(
        task=mini_plan.tasks.get(number=1),
        agency=officer.agency,
        date=dt.date(2020, 9, 1),
        title="Bản nháp bỏ quên",
        created_by=officer,
    )
    Activity.objects.filter(pk=draft.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    run_worker()
    assert Notification.objects.filter(user=officer, message__contains="chưa gửi duyệt").exists()
