"""A plan's revision: a token on the plan's own row that changes whenever anything its pages
show changes, so what those pages compute (progress, rendered fragments) can be cached per
plan and revision, in the local cache of each process or a shared one, and is never stale.

Reading it: a page that has just loaded the plan reads it from the row it holds (the plan
page's `{% cache %}` fragment); `cache_key` reads it again by key, for callers that may hold
the plan from before a change (a job, a report, the dashboard's plan chosen earlier).
Writing it is one UPDATE of the plan's row in the same transaction as the change, so a
rolled-back change leaves the old revision, and a reader that sees the new revision also
sees the change.

What moves a revision: the plan itself, its parts (`PLAN_PARTS` below: tasks, deliverables,
groups, indicators, duties, budget…), the agencies it names (every plan), and whatever an app
above registers with `watch` (progress: activities). Bulk writes that send no signal
(`bulk_create`, `QuerySet.update`, COPY) call `touch` themselves.
"""

import uuid
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from scpvn.plans.models import (
    BudgetAllocation,
    BudgetEntry,
    Deliverable,
    Duty,
    Indicator,
    Objective,
    Plan,
    PlanAgency,
    ReportingDuty,
    Task,
    TaskGroup,
)


def touch(using: str = DEFAULT_DB_ALIAS, **lookups) -> None:
    """A new revision for the plans matching `lookups` (every plan when none)."""
    Plan.objects.using(using).filter(**lookups).update(revision=uuid.uuid4())


def cache_key(plan: Plan, *parts: object, loaded: bool = False) -> str:
    """A cache key for something computed from `plan` as it is now. The revision is read
    from the database (one lookup by key), not from `plan`: a caller may hold the plan
    from before a change (a job, a report built after an approval). `loaded`: the caller
    read `plan` itself a moment ago (a page, in this request), so the revision on its row
    is as current as a second read would be."""
    revision = (
        plan.revision if loaded else Plan.objects.values_list("revision", flat=True).get(pk=plan.pk)
    )
    return ":".join(["plan", str(plan.pk), revision.hex, *(str(p) for p in parts)])


def watch(model: type[models.Model], plan_of: Callable[[models.Model], dict]) -> None:
    """Saving or deleting a `model` row moves the revision of the plan `plan_of(row)`
    names (lookups for `touch`, e.g. {"pk": row.plan_id})."""

    def moved(sender, instance, **kwargs) -> None:
        lookups = plan_of(instance)
        if lookups is not None:
            touch(**lookups)

    for signal in (post_save, post_delete):
        signal.connect(moved, sender=model, weak=False, dispatch_uid="revision")


# each part of a plan, and how to find its plan
PLAN_PARTS: dict[type[models.Model], Callable[[models.Model], dict]] = {
    PlanAgency: lambda row: {"pk": row.plan_id},
    Objective: lambda row: {"pk": row.plan_id},
    Indicator: lambda row: {"pk": row.plan_id},
    TaskGroup: lambda row: {"pk": row.plan_id},
    Task: lambda row: {"pk": row.plan_id},
    Deliverable: lambda row: {"tasks": row.task_id},
    Duty: lambda row: {"pk": row.plan_id},
    ReportingDuty: lambda row: {"pk": row.plan_id},
    BudgetAllocation: lambda row: {"pk": row.plan_id},
    BudgetEntry: lambda row: {"budget": row.allocation_id},
}


def _plan_saved(sender, instance: Plan, **kwargs) -> None:
    instance.revision = uuid.uuid4()


def _plan_changed(sender, instance: Plan, **kwargs) -> None:
    # the parent's page lists its children, a child's names its parent
    if instance.parent_id:
        touch(pk=instance.parent_id)
    touch(parent=instance.pk)


def _m2m_changed(sender, instance, **kwargs) -> None:
    # a task's partners or a duty's recipients; from the agency's side, every plan
    if kwargs["action"].startswith("post_"):
        plan_id = getattr(instance, "plan_id", None)
        touch(**({"pk": plan_id} if plan_id else {}))


def _agency_changed(sender, instance, **kwargs) -> None:
    touch()


def _restored(sender, using: str, **kwargs) -> None:
    # a restore writes rows without signals (core.backup): every plan's pages may differ
    touch(using)


def connect() -> None:
    """(PlansConfig.ready) Connect the plan's own parts, and a restore."""
    from scpvn.core.backup import restored
    from scpvn.orgs.models import Agency

    pre_save.connect(_plan_saved, sender=Plan, dispatch_uid="revision")
    for signal in (post_save, post_delete):
        signal.connect(_plan_changed, sender=Plan, dispatch_uid="revision")
        signal.connect(_agency_changed, sender=Agency, dispatch_uid="revision")
    for through in (Task.partners.through, ReportingDuty.to.through):
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid="revision")
    for model, plan_of in PLAN_PARTS.items():
        watch(model, plan_of)
    restored.connect(_restored, dispatch_uid="revision")
