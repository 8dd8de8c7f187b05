"""Reminders about periodic reports: due soon, then overdue, to the reporting agency."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from scpvn.notifications.services import notify
from scpvn.progress.reminders import officers_of
from scpvn.reports.services import due_date, reports_due


def report_reminders(day: dt.date) -> int:
    """A report whose period has ended and that is not submitted: "due" when its deadline is
    within `SCPVN_REMIND_DAYS_AHEAD` days, "overdue" after it; each told once."""
    sent = 0
    for duty, period, report in reports_due(day):
        overdue = due_date(period) < day
        if not overdue and due_date(period) > day + dt.timedelta(
            days=settings.SCPVN_REMIND_DAYS_AHEAD
        ):
            continue
        template = (
            _("Báo cáo %(p)s đã quá hạn nộp %(due)s: %(what)s")
            if overdue
            else _("Báo cáo %(p)s đến hạn nộp %(due)s: %(what)s")
        )
        message = template % {
            "p": period.label,
            "due": f"{due_date(period):%d/%m/%Y}",
            "what": duty.what,
        }
        url = report.get_absolute_url() if report else reverse("reports:list")
        key = f"report-{'overdue' if overdue else 'due'}:{duty.pk}:{period.code}"
        for user in officers_of([duty.by] if duty.by else []):
            sent += notify(user, key, message, url)
    return sent
