"""Reminders about activities and task deadlines. Each is keyed so that running the job
again the same day (or every hour) tells nobody twice; the job is `reports.tasks.send_reminders`."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scpvn.notifications.services import notify
from scpvn.orgs.models import Agency, User
from scpvn.orgs.roles import Role
from scpvn.plans.models import Plan
from scpvn.progress.models import Activity
from scpvn.progress.status import Status, plan_progress


def officers_of(agencies: Iterable[Agency]) -> list[User]:
    """Who acts for these agencies: their officers, and district officers of a district's
    People's Committee (all of them when the agency is "the districts" as a whole)."""
    agencies = list(agencies)
    districts = Q(district__in=[a.district_id for a in agencies if a.district_id])
    if any(a.kind == Agency.Kind.DISTRICT and not a.district_id for a in agencies):
        districts = Q()  # "the districts" as a whole: every district officer
    return list(
        User.objects.filter(is_active=True).filter(
            Q(role=Role.AGENCY_OFFICER, agency__in=agencies)
            | (Q(role=Role.DISTRICT_OFFICER) & districts)
        )
    )


def task_reminders(day: dt.date) -> int:
    """Tasks not done whose window ends within `SCPVN_REMIND_DAYS_AHEAD` days (deadline) or
    has ended (overdue): the lead's and partners' officers are told once each."""
    sent = 0
    ahead = day + dt.timedelta(days=settings.SCPVN_REMIND_DAYS_AHEAD)
    for plan in Plan.objects.filter(period_start__lte=ahead):
        for t in plan_progress(plan, day).tasks:
            if t.status == Status.DONE or t.task.end > ahead:
                continue
            overdue = t.task.end < day
            template = (
                _("Nhiệm vụ %(n)s đã quá hạn %(end)s, mới đạt %(p)s%%: %(title)s")
                if overdue
                else _("Nhiệm vụ %(n)s đến hạn %(end)s, mới đạt %(p)s%%: %(title)s")
            )
            message = template % {
                "n": t.task.number,
                "end": f"{t.task.end:%d/%m/%Y}",
                "p": t.percent,
                "title": t.task.title[:120],
            }
            key = f"task-{'overdue' if overdue else 'due'}:{t.task.pk}:{t.task.end}"
            for user in officers_of([t.task.lead, *t.task.partners.all()]):
                sent += notify(user, key, message, t.task.get_absolute_url())
    return sent


def activity_reminders(day: dt.date) -> int:
    """Drafts and returned activities left for `SCPVN_REMIND_STALE_DAYS` remind their
    author; submitted ones waiting as long remind the reviewers."""
    sent = 0
    stale = timezone.make_aware(
        dt.datetime.combine(day - dt.timedelta(days=settings.SCPVN_REMIND_STALE_DAYS), dt.time.min)
    )
    waiting = Activity.objects.filter(
        Q(status__in=[Activity.Status.DRAFT, Activity.Status.RETURNED], created_at__lt=stale)
        | Q(status=Activity.Status.SUBMITTED, submitted_at__lt=stale)
    ).select_related("created_by")
    reviewers = list(User.objects.filter(role=Role.REVIEWER, is_active=True))
    for activity in waiting:
        url = activity.get_absolute_url()
        if activity.status == Activity.Status.SUBMITTED:
            message = _("Hoạt động chờ duyệt đã lâu: %(t)s") % {"t": activity.title}
            for reviewer in reviewers:
                sent += notify(reviewer, f"waiting:{activity.pk}:{activity.version}", message, url)
        elif activity.created_by:
            message = _("Hoạt động chưa gửi duyệt: %(t)s") % {"t": activity.title}
            sent += notify(
                activity.created_by, f"draft:{activity.pk}:{activity.version}", message, url
            )
    return sent
