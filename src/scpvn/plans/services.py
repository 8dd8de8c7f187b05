"""Loading a validated plan into the database and writing it back out.

Load is an idempotent sync keyed by the file's own codes: unchanged rows are not saved
(so history records only real changes, such as a new target), rows gone from the file are
removed, and the whole load is one transaction.
"""

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from scpvn.orgs.models import Agency
from scpvn.plans import schema
from scpvn.plans.models import (
    AgencySuccession,
    BudgetAllocation,
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


@dataclass
class LoadReport:
    plan: Plan
    created: int = 0
    updated: int = 0
    deleted: int = 0
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def month_start(year_month: str) -> dt.date:
    year, month = map(int, year_month.split("-"))
    return dt.date(year, month, 1)


def month_end(year_month: str) -> dt.date:
    year, month = map(int, year_month.split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _decimal(value: int | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class _Sync:
    """Upserts that save only what differs, counting what happened."""

    def __init__(self, report: LoadReport):
        self.report = report

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            self.report.created += 1
            self.report.changes.append(f"+ {model._meta.model_name} {obj}")
            return obj
        changed = [k for k, v in values.items() if _field_value(obj, k) != v]
        if changed:
            for key in changed:
                setattr(obj, key, values[key])
            obj.save()
            self.report.updated += 1
            self.report.changes.append(f"~ {model._meta.model_name} {obj}: {', '.join(changed)}")
        return obj

    def set_m2m(self, obj: models.Model, name: str, targets: list[models.Model]) -> None:
        manager = getattr(obj, name)
        if {t.pk for t in manager.all()} != {t.pk for t in targets}:
            manager.set(targets)
            self.report.updated += 1
            self.report.changes.append(f"~ {obj._meta.model_name} {obj}: {name}")

    def prune(self, queryset: models.QuerySet) -> None:
        for obj in queryset:
            self.report.changes.append(f"- {obj._meta.model_name} {obj}")
            self.report.deleted += 1
            obj.delete()


def _field_value(obj: models.Model, name: str) -> Any:
    field_obj = obj._meta.get_field(name)
    if isinstance(field_obj, models.ForeignKey):
        return getattr(obj, name)
    return getattr(obj, field_obj.attname)


def _sync_agency(sync: _Sync, entry: schema.AgencyEntry, starts: dt.date) -> Agency:
    """The agency a plan names by code. Its own name and kind follow the newest plan that
    names it, so loading an older plan never renames it back; each plan keeps the name it
    wrote in `PlanAgency.name`."""
    agency = Agency.objects.filter(code=entry.code).first()
    if agency is None:
        return sync.upsert(Agency, {"code": entry.code}, {"name": entry.name, "kind": entry.kind})
    newer = PlanAgency.objects.filter(agency=agency, plan__period_start__gt=starts).exists()
    if newer:
        return agency
    return sync.upsert(Agency, {"code": entry.code}, {"name": entry.name, "kind": entry.kind})


def _record_succession(
    sync: _Sync, old_codes: list[str], successor: Agency, since: dt.date
) -> None:
    """The first plan naming a merger dates it; predecessors not yet known (no earlier plan
    loaded) are skipped and recorded when they are."""
    for old in Agency.objects.filter(code__in=old_codes):
        link = AgencySuccession.objects.filter(predecessor=old, successor=successor).first()
        if link is None:
            sync.upsert(
                AgencySuccession,
                {"predecessor": old, "successor": successor},
                {"since": since},
            )
        elif since < link.since:
            sync.upsert(AgencySuccession, {"pk": link.pk}, {"since": since})


def find_plan(ref: str, year: int | None = None) -> Plan:
    """The plan named by its slug, or by its number (with the year of issue when the number
    was used more than once). Raises `Plan.DoesNotExist` or `LookupError` (ambiguous) with
    a message naming the candidates."""
    plan = Plan.objects.filter(slug=ref).first()
    if plan is not None:
        return plan
    candidates = Plan.objects.filter(code=ref) if ref else Plan.objects.none()
    if year is not None:
        candidates = candidates.filter(issued__year=year)
    found = list(candidates.order_by("issued"))
    if not found:
        raise Plan.DoesNotExist(f"không có kế hoạch {ref} (no such plan)")
    if len(found) > 1:
        names = ", ".join(p.slug for p in found)
        raise LookupError(f"{ref}: nhiều kế hoạch cùng số, chọn một: {names} (ambiguous)")
    return found[0]


@transaction.atomic
def load_plan(doc: schema.PlanDocument) -> LoadReport:
    report = LoadReport(plan=None)  # type: ignore[arg-type]
    sync = _Sync(report)
    agencies: dict[str, Agency] = {
        entry.code: _sync_agency(sync, entry, doc.period.start) for entry in doc.agencies
    }
    implements = doc.implements.model_dump(mode="json") if doc.implements else None
    parent = None
    if doc.implements and doc.implements.date:
        parent = Plan.objects.filter(code=doc.implements.code, issued=doc.implements.date).first()
    if doc.code is not None and doc.issued is not None:
        identity = {"issuer": doc.issuer, "code": doc.code, "issued": doc.issued}
        values = {"slug": doc.slug}
    else:  # number or date not found: the file's slug is all that names the plan
        identity = {"slug": doc.slug}
        values = {"issuer": doc.issuer, "code": doc.code or "", "issued": doc.issued}
    plan = sync.upsert(
        Plan,
        identity,
        {
            **values,
            "implements": implements,
            "parent": parent,
            "sources": [s.model_dump(mode="json") for s in doc.sources],
            "complete": doc.complete,
            "missing": list(doc.missing),
            "title": doc.title,
            "place": doc.place or "",
            "period_start": doc.period.start,
            "period_end": doc.period.end,
            "signer": doc.signer.model_dump(mode="json") if doc.signer else None,
            "legal_basis": [ref.model_dump(mode="json") for ref in doc.legal_basis],
            "funding": doc.funding.model_dump(mode="json") if doc.funding else {},
            "recipients": list(doc.recipients),
            "closing": doc.closing or "",
        },
    )
    report.plan = plan
    # Yearly plans loaded before the plan they implement get linked now.
    children = Plan.objects.filter(parent=None, implements__code=plan.code).exclude(pk=plan.pk)
    for child in children if plan.code and plan.issued else []:
        if (child.implements or {}).get("date") == plan.issued.isoformat():
            sync.upsert(Plan, {"pk": child.pk}, {"parent": plan})
    for order, entry in enumerate(doc.agencies):
        sync.upsert(
            PlanAgency,
            {"plan": plan, "agency": agencies[entry.code]},
            {
                "order": order,
                "name": entry.name,
                "kind": entry.kind,
                "replaces": list(entry.replaces),
            },
        )
        _record_succession(
            sync, entry.replaces, agencies[entry.code], doc.issued or doc.period.start
        )
    # Mergers named by plans loaded before this one, whose predecessors this plan brings.
    for later in PlanAgency.objects.exclude(replaces=[]).exclude(plan=plan).select_related("plan"):
        known = [code for code in later.replaces if code in agencies]
        if known:
            since = later.plan.issued or later.plan.period_start
            _record_succession(sync, known, later.agency, since)
    sync.prune(PlanAgency.objects.filter(plan=plan).exclude(agency__code__in=agencies))

    for obj in doc.objectives:
        sync.upsert(Objective, {"plan": plan, "number": obj.number}, {"text": obj.text})
    sync.prune(plan.objectives.exclude(number__in=[o.number for o in doc.objectives]))

    indicators: dict[str, Indicator] = {}
    for order, ind in enumerate(doc.indicators):
        parent_code = ind.code.rsplit(".", 1)[0] if "." in ind.code else None
        indicators[ind.code] = sync.upsert(
            Indicator,
            {"plan": plan, "code": ind.code},
            {
                "parent": indicators.get(parent_code) if parent_code else None,
                "order": order,
                "name": ind.name,
                "scope": ind.scope,
                "unit": ind.unit or "",
                "target": _decimal(ind.target),
                "target_min": _decimal(ind.target_min),
                "target_max": _decimal(ind.target_max),
                "baseline": _decimal(ind.baseline),
                "direction": ind.direction or "",
                "deadline": ind.deadline,
                "method": ind.method.model_dump(mode="json") if ind.method else None,
                "lead": agencies.get(ind.lead) if ind.lead else None,
                "lead_source": ind.lead_source or "",
                "level": ind.level or "",
                "series": ind.series or "",
            },
        )
    sync.prune(plan.indicators.exclude(code__in=indicators).order_by("-code"))

    groups = {
        g.number: sync.upsert(TaskGroup, {"plan": plan, "number": g.number}, {"name": g.name})
        for g in doc.groups
    }
    for entry in doc.tasks:
        task = sync.upsert(
            Task,
            {"plan": plan, "number": entry.number},
            {
                "group": groups[entry.group],
                "title": entry.title,
                "content": entry.content,
                "lead": agencies[entry.lead],
                "partners_note": entry.partners_note or "",
                "start": month_start(entry.start),
                "end": month_end(entry.end),
                "window_text": entry.window_text or "",
                "targets_text": entry.targets_text or "",
            },
        )
        sync.set_m2m(task, "partners", [agencies[c] for c in entry.partners])
        for order, d in enumerate(entry.deliverables):
            sync.upsert(
                Deliverable,
                {"task": task, "code": d.code},
                {
                    "order": order,
                    "name": d.name,
                    "unit": d.unit,
                    "target": _decimal(d.target),
                    "note": d.note or "",
                },
            )
        sync.prune(task.deliverables.exclude(code__in=[d.code for d in entry.deliverables]))
    sync.prune(plan.tasks.exclude(number__in=[t.number for t in doc.tasks]))
    sync.prune(plan.groups.exclude(number__in=groups))

    for order, duty in enumerate(doc.duties):
        values = {"agency": agencies[duty.agency], "text": duty.text, "truncated": duty.truncated}
        sync.upsert(Duty, {"plan": plan, "order": order}, values)
    sync.prune(plan.duties.filter(order__gte=len(doc.duties)))

    tasks_by_number = {t.number: t for t in plan.tasks.all()}
    kept = []
    for line in doc.budget:
        identity = {
            "plan": plan,
            "task": tasks_by_number.get(line.task),
            "agency": agencies[line.agency],
            "source": line.source,
            "decision": line.decision or "",
        }
        kept.append(sync.upsert(BudgetAllocation, identity, {"amount": line.amount}).pk)
    sync.prune(plan.budget.exclude(pk__in=kept))

    for order, rep in enumerate(doc.reporting):
        duty = sync.upsert(
            ReportingDuty,
            {"plan": plan, "code": rep.code},
            {
                "order": order,
                "what": rep.what,
                "frequency": rep.frequency,
                "due": rep.due or "",
                "by": agencies.get(rep.by) if rep.by else None,
            },
        )
        sync.set_m2m(duty, "to", [agencies[c] for c in rep.to])
    sync.prune(plan.reporting.exclude(code__in=[r.code for r in doc.reporting]))
    return report


def export_plan(plan: Plan) -> dict:
    """The plan as a normalized document: the same JSON `scpvn plan validate --json` prints
    for the file it was loaded from."""
    by_order = list(PlanAgency.objects.filter(plan=plan).select_related("agency"))
    order = {pa.agency_id: pa.order for pa in by_order}

    def codes(agencies) -> list[str]:
        return [a.code for a in sorted(agencies, key=lambda a: order.get(a.pk, 10**6))]

    data = {
        "code": plan.code or None,
        "slug": plan.slug,
        "title": plan.title,
        "issuer": plan.issuer,
        "place": plan.place or None,
        "issued": plan.issued,
        "period": {"start": plan.period_start, "end": plan.period_end},
        "implements": plan.implements,
        "sources": plan.sources,
        "complete": plan.complete,
        "missing": plan.missing,
        "signer": plan.signer,
        "legal_basis": plan.legal_basis,
        "funding": plan.funding or None,
        "agencies": [
            {
                "code": pa.agency.code,
                "name": pa.name or pa.agency.name,
                "kind": pa.kind or pa.agency.kind,
                "replaces": pa.replaces,
            }
            for pa in by_order
        ],
        "objectives": [{"number": o.number, "text": o.text} for o in plan.objectives.all()],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "scope": i.scope,
                "unit": i.unit or None,
                "target": _number(i.target),
                "target_min": _number(i.target_min),
                "target_max": _number(i.target_max),
                "baseline": _number(i.baseline),
                "direction": i.direction or None,
                "deadline": i.deadline,
                "method": i.method,
                "lead": i.lead.code if i.lead else None,
                "lead_source": i.lead_source or None,
                "level": i.level or None,
                "series": i.series or None,
            }
            for i in plan.indicators.select_related("lead")
        ],
        "groups": [{"number": g.number, "name": g.name} for g in plan.groups.all()],
        "tasks": [
            {
                "number": t.number,
                "group": t.group.number,
                "title": t.title,
                "content": t.content,
                "lead": t.lead.code,
                "partners": codes(t.partners.all()),
                "partners_note": t.partners_note or None,
                "start": t.start.strftime("%Y-%m"),
                "end": t.end.strftime("%Y-%m"),
                "window_text": t.window_text or None,
                "targets_text": t.targets_text or None,
                "deliverables": [
                    {
                        "code": d.code,
                        "name": d.name,
                        "unit": d.unit,
                        "target": _number(d.target),
                        "note": d.note or None,
                    }
                    for d in t.deliverables.all()
                ],
            }
            for t in plan.tasks.select_related("group", "lead").prefetch_related(
                "partners", "deliverables"
            )
        ],
        "duties": [
            {"agency": d.agency.code, "text": d.text, "truncated": d.truncated}
            for d in plan.duties.select_related("agency")
        ],
        "budget": [
            {
                "task": b.task.number if b.task_id else None,
                "agency": b.agency.code,
                "source": b.source,
                "decision": b.decision or None,
                "amount": int(b.amount),
            }
            for b in plan.budget.select_related("task", "agency")
        ],
        "reporting": [
            {
                "code": r.code,
                "what": r.what,
                "frequency": r.frequency,
                "due": r.due or None,
                "by": r.by.code if r.by else None,
                "to": codes(r.to.all()),
            }
            for r in plan.reporting.select_related("by").prefetch_related("to")
        ],
        "recipients": plan.recipients,
        "closing": plan.closing or None,
    }
    return schema.PlanDocument.model_validate(data).model_dump(mode="json")


def current_plan() -> Plan | None:
    """The plan the app opens on, for staff and on the public portal alike: the plan of
    the latest period (a 2026 plan before the 2020 one, whatever their issue dates)."""
    return Plan.objects.order_by("-period_start", "-pk").first()


def latest_plan_with_deliverables() -> Plan | None:
    """The latest plan (by period) whose tasks have deliverables to record activities
    against. A later plan may encode targets only, as the 2024 and 2026 Hanoi plans do
    while their texts' tasks are not found: then it is an earlier one."""
    return (
        Plan.objects.filter(tasks__deliverables__isnull=False)
        .distinct()
        .order_by("-period_start", "-pk")
        .first()
    )


def indicator_series(slug: str) -> list[Indicator]:
    """One measure across plans, oldest period first: each plan's indicator carrying the
    series slug, with its plan, so a page can set each year's target side by side."""
    return list(
        Indicator.objects.filter(series=slug)
        .select_related("plan")
        .order_by("plan__period_start", "plan__issued", "code")
    )


def series_row(indicator: Indicator) -> dict:
    """What the year-on-year view shows for one plan's indicator."""
    plan = indicator.plan
    return {
        "year": plan.period_start.year,
        "plan": plan.slug,
        "plan_code": plan.code,
        "issuer": plan.issuer,
        "issued": plan.issued,
        "indicator": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "target": indicator.target,
        "target_min": indicator.target_min,
        "target_max": indicator.target_max,
        "direction": indicator.direction,
        "level": indicator.level,
    }


def plan_choices() -> list[Plan]:
    """The plans a page lets you choose between, latest period first (the plan choice)."""
    return list(Plan.objects.order_by("-period_start", "place"))


def chosen_plan(slug: str | None, among: Sequence[Plan] | None = None) -> Plan | None:
    """The plan a page shows: the one picked by `?plan=<slug>`, else the plan of the latest
    period. Raises `Plan.DoesNotExist` for an unknown slug, so a page answers 404 rather than
    silently showing another plan. `among`: the plan choices the page read already
    (`plan_choices`, every plan), to pick the slug from instead of asking again."""
    if slug and among is not None:
        for plan in among:
            if plan.slug == slug:
                return plan
        raise Plan.DoesNotExist(slug)
    if slug:
        return Plan.objects.get(slug=slug)
    return current_plan()
