"""The status engine: how far each deliverable, task and group of a plan has come on a date.

THE RULE (the one place it is written; docs/status-rule.md only points here and gives
examples). Thresholds are `settings.SCPVN_STATUS`.

1. What counts on a date D: approved activities dated on or before D *and* approved by the
   end of D (`approved_at`). So the status "as of 30/06/2020" is recomputed from the records
   exactly as it could have been seen that evening; later approvals do not rewrite the past.
   Callers may pass a later `known_at` to count work done by D but approved afterwards: a
   report compiled after its period (the moment of compiling), and the dashboard by default
   (now; its `?seen=then` switch asks for the strict view).
2. Achieved: the sum of the counted quantities. A deliverable without a number in the plan
   is measured in milestones: every counted activity is one milestone, and one milestone is
   expected per `MILESTONE_MONTHS` months of the task's window (rounded up, at least one).
3. Progress = achieved / target (capped at 1 for display). Elapsed = the share of the task's
   window [start, end] that has passed on D (0 before the start, 1 after the end).
4. Status, first match wins:
   - done:        progress ≥ 1;
   - late:        D is after the window's end;
   - not started: nothing achieved and elapsed ≤ GRACE_SHARE (including before the start);
   - on track:    progress ≥ ON_TRACK_RATIO × elapsed;
   - at risk:     otherwise (behind the time that has passed).
5. A task's progress is the mean of its deliverables' (capped) progress; its status is the
   worst of theirs: not started when all are, done when all are, else late if any is late,
   else at risk if any is, else on track. A group's progress is the mean of its tasks'.
6. The date a plan is seen on, unless asked otherwise: today clipped to the plan's period (a
   finished plan on its last day, a future one on its first, where its figures mean
   something). What is known: everything approved by now (`known_at`), or with `seen_then`
   only what was approved by the end of that day.
7. Deadlines: a task not done whose window ends within `DUE_SOON_DAYS` days of the date is
   due soon; one whose window ended before it is overdue.
"""

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scpvn.core.clock import end_of_day, today
from scpvn.plans.models import Deliverable, Plan, Task, TaskGroup
from scpvn.plans.revisions import cache_key
from scpvn.progress.models import Activity


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa bắt đầu")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    AT_RISK = "at_risk", _("Có nguy cơ chậm")
    LATE = "late", _("Chậm, quá hạn")
    DONE = "done", _("Hoàn thành")


STATUS_COLORS = {
    Status.NOT_STARTED: "secondary",
    Status.ON_TRACK: "primary",
    Status.AT_RISK: "warning",
    Status.LATE: "danger",
    Status.DONE: "success",
}


def elapsed_share(start: dt.date, end: dt.date, as_of: dt.date) -> float:
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


def months_in(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def milestone_target(task: Task) -> int:
    return max(
        1, math.ceil(months_in(task.start, task.end) / settings.SCPVN_STATUS["MILESTONE_MONTHS"])
    )


def classify(progress: float, elapsed: float, achieved: Decimal, after_end: bool) -> Status:
    thresholds = settings.SCPVN_STATUS
    if progress >= 1:
        return Status.DONE
    if after_end:
        return Status.LATE
    if achieved == 0 and elapsed <= thresholds["GRACE_SHARE"]:
        return Status.NOT_STARTED
    if progress >= thresholds["ON_TRACK_RATIO"] * elapsed:
        return Status.ON_TRACK
    return Status.AT_RISK


def combine(statuses: list[Status]) -> Status:
    """Rule 5: a task is as bad as its worst deliverable."""
    if not statuses or all(s == Status.NOT_STARTED for s in statuses):
        return Status.NOT_STARTED
    if all(s == Status.DONE for s in statuses):
        return Status.DONE
    for status in (Status.LATE, Status.AT_RISK):
        if status in statuses:
            return status
    return Status.ON_TRACK


@dataclass
class DeliverableProgress:
    deliverable: Deliverable
    achieved: Decimal
    in_period: Decimal
    activities: int
    target: Decimal
    milestones: bool
    progress: float
    elapsed: float
    status: Status

    @property
    def percent(self) -> int:
        return round(min(self.progress, 1) * 100)

    @property
    def color(self) -> str:
        return STATUS_COLORS[self.status]


@dataclass
class TaskProgress:
    task: Task
    deliverables: list[DeliverableProgress]
    progress: float
    elapsed: float
    status: Status

    @property
    def percent(self) -> int:
        return round(self.progress * 100)

    @property
    def color(self) -> str:
        return STATUS_COLORS[self.status]


@dataclass
class GroupProgress:
    group: TaskGroup
    tasks: list[TaskProgress]
    progress: float

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


@dataclass
class PlanProgress:
    plan: Plan
    as_of: dt.date
    groups: list[GroupProgress]
    tasks: list[TaskProgress] = field(default_factory=list)

    @property
    def task_counts(self) -> dict[str, int]:
        counts = Counter(t.status for t in self.tasks)
        return {status: counts.get(status, 0) for status in Status}

    @property
    def deliverable_counts(self) -> dict[str, int]:
        counts = Counter(d.status for t in self.tasks for d in t.deliverables)
        return {status: counts.get(status, 0) for status in Status}

    @property
    def percent(self) -> int:
        return (
            round(sum(t.progress for t in self.tasks) / len(self.tasks) * 100) if self.tasks else 0
        )

    @property
    def pending(self) -> list[TaskProgress]:
        return [t for t in self.tasks if t.status != Status.DONE]

    @property
    def due_soon(self) -> list[TaskProgress]:
        """Rule 7: not done, window ending within DUE_SOON_DAYS of the date shown."""
        horizon = self.as_of + dt.timedelta(days=settings.SCPVN_STATUS["DUE_SOON_DAYS"])
        return [t for t in self.pending if self.as_of <= t.task.end <= horizon]

    @property
    def overdue(self) -> list[TaskProgress]:
        """Rule 7: not done, window ended before the date shown."""
        return [t for t in self.pending if t.task.end < self.as_of]


def default_as_of(plan: Plan, on: dt.date | None = None) -> dt.date:
    """Rule 6: the date a plan is seen on when none is asked for."""
    return plan.day_within(on or today())


def known_at(as_of: dt.date, *, seen_then: bool = False) -> dt.datetime:
    """Rule 6: approvals known when the plan is seen on `as_of` (now, or that evening)."""
    if seen_then:
        return end_of_day(as_of)
    return max(timezone.now(), end_of_day(as_of))


def current_progress(plan: Plan) -> PlanProgress:
    """The progress everyone sees by default (dashboard, portal, open data, API), on the
    app's today (`SCPVN_TODAY` in a demo)."""
    as_of = default_as_of(plan)
    return plan_progress(plan, as_of, known_at=known_at(as_of))


def counted(as_of: dt.date, known_at: dt.datetime | None = None) -> Q:
    """The activities that count on `as_of` (rule 1), as a filter on Activity. A hand-entered
    activity that reports a module's record adds nothing: the record already counts."""
    return Q(
        status=Activity.Status.APPROVED,
        module_record__isnull=True,
        date__lte=as_of,
        approved_at__lte=known_at or end_of_day(as_of),
    )


def plan_progress(
    plan: Plan,
    as_of: dt.date,
    *,
    known_at: dt.datetime | None = None,
    since: dt.date | None = None,
    tasks: list[Task] | None = None,
) -> PlanProgress:
    """Every deliverable, task and group of `plan` on `as_of`, in a fixed number of queries
    whatever the number of activities (one aggregate over them). `since` also totals what
    was achieved from that date on (a report's period).

    The whole plan's progress is cached per plan revision (`plans.revisions`: every
    activity saved or deleted moves it), so the dashboard, the portal and the open data
    read it without the aggregate until something changes. Approvals are stamped with the
    moment they happen, so a `known_at` from now on sees the same records as now."""
    if tasks is not None:
        return _plan_progress(plan, as_of, known_at=known_at, since=since, tasks=tasks)
    if known_at is None:
        known = "eod"  # the end of `as_of`, which the key's date already says
    elif known_at >= timezone.now() - NOW_SLACK:
        # everything approved so far: the same records until the revision moves
        known, known_at = "now", EVERYTHING_APPROVED
    else:
        known = known_at.isoformat()
    key = cache_key(plan, "progress", as_of.isoformat(), known, since or "")
    return cache.get_or_set(
        key, lambda: _plan_progress(plan, as_of, known_at=known_at, since=since), PROGRESS_SECONDS
    )


# an upper bound only: a plan's revision retires its figures as soon as they change
PROGRESS_SECONDS = 3600
# a `known_at` this close to now (taken a moment before by the caller) means "now"
NOW_SLACK = dt.timedelta(minutes=1)
EVERYTHING_APPROVED = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def _plan_progress(
    plan: Plan,
    as_of: dt.date,
    *,
    known_at: dt.datetime | None,
    since: dt.date | None,
    tasks: list[Task] | None = None,
) -> PlanProgress:
    if tasks is None:
        tasks = list(
            plan.tasks.select_related("lead", "group").prefetch_related("deliverables", "partners")
        )
    rows = (
        Activity.objects.filter(counted(as_of, known_at), task__plan=plan)
        .values("deliverable")
        .annotate(
            achieved=Sum("quantity"),
            activities=Count("pk"),
            in_period=Sum("quantity", filter=Q(date__gte=since)) if since else Sum("quantity"),
            period_activities=Count("pk", filter=Q(date__gte=since)) if since else Count("pk"),
        )
    )
    totals = {row["deliverable"]: row for row in rows}
    task_rows: list[TaskProgress] = []
    for task in tasks:
        elapsed = elapsed_share(task.start, task.end, as_of)
        after_end = as_of > task.end
        items = []
        for deliverable in task.deliverables.all():
            row = totals.get(deliverable.pk, {})
            count = row.get("activities", 0)
            milestones = deliverable.target is None
            if milestones:
                target = Decimal(milestone_target(task))
                achieved = Decimal(count)
                in_period = Decimal(row.get("period_activities", 0))
            else:
                target = deliverable.target
                achieved = row.get("achieved") or Decimal(0)
                in_period = row.get("in_period") or Decimal(0)
            progress = float(achieved / target) if target else 1.0
            items.append(
                DeliverableProgress(
                    deliverable=deliverable,
                    achieved=achieved,
                    in_period=in_period,
                    activities=count,
                    target=target,
                    milestones=milestones,
                    progress=progress,
                    elapsed=elapsed,
                    status=classify(progress, elapsed, achieved, after_end),
                )
            )
        progress = sum(min(d.progress, 1) for d in items) / len(items) if items else 0.0
        task_rows.append(
            TaskProgress(
                task=task,
                deliverables=items,
                progress=progress,
                elapsed=elapsed,
                status=combine([d.status for d in items]),
            )
        )
    groups = []
    for group in plan.groups.all():
        members = [t for t in task_rows if t.task.group_id == group.pk]
        mean = sum(t.progress for t in members) / len(members) if members else 0.0
        groups.append(GroupProgress(group=group, tasks=members, progress=mean))
    return PlanProgress(plan=plan, as_of=as_of, groups=groups, tasks=task_rows)
