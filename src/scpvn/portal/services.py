"""What the public portal shows, computed from the records: progress by task (the status
engine's, as the staff dashboard shows it), indicator targets, certified green points on a
district map, upcoming fairs, and the same data as open-data rows."""

import datetime as dt
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F

from scpvn.fairs.models import FairEvent
from scpvn.geo.projection import project_districts
from scpvn.greenpoints.models import GreenPoint
from scpvn.greenpoints.services import certified_points
from scpvn.indicators.services import indicator_table
from scpvn.plans.models import Indicator, Plan
from scpvn.plans.services import chosen_plan, plan_choices
from scpvn.progress.status import current_progress

LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


def indicator_rows(plan: Plan) -> list[Indicator]:
    """The plan's indicators with their city-wide value for the plan's final year as the
    indicator engine has it (`value`, `coverage`; None where nothing is observed yet)."""
    period = str(plan.period_end.year)
    values = {row.code: row for row in indicator_table(plan, period)}
    indicators = list(plan.indicators.select_related("parent").order_by("order"))
    for indicator in indicators:
        row = values.get(indicator.code)
        indicator.period = period
        indicator.value = row.value if row else None
        indicator.coverage = row.coverage if row else None
    return indicators


def upcoming_fairs(today: dt.date) -> list[FairEvent]:
    """The next ten fairs, each with its `free` booths."""
    return list(
        FairEvent.objects.filter(end_date__gte=today)
        .exclude(status=FairEvent.Status.CANCELLED)
        .select_related("district", "chain")
        .with_allocated()
        .annotate(free=F("capacity") - F("allocated"))
        .order_by("start_date")[:10]
    )


@dataclass(frozen=True)
class MapDot:
    x: float
    y: float
    label: str
    count: int  # certified points in the district (0: the district is only drawn)


MAP_WIDTH, MAP_HEIGHT, MAP_PAD = 600, 520, 30


def district_map(points: list[GreenPoint]) -> list[MapDot]:
    """Districts at their centroids (the one map projection), each with how many
    certified points it has."""
    counts: dict[int, int] = {}
    for point in points:
        counts[point.district_id] = counts.get(point.district_id, 0) + 1
    return [
        MapDot(x=p.x, y=p.y, label=p.district.short_name, count=counts.get(p.district.pk, 0))
        for p in project_districts(MAP_WIDTH, MAP_HEIGHT, MAP_PAD)
    ]


SNAPSHOT_SECONDS = 120


def snapshot(today: dt.date, plan_slug: str = "") -> dict:
    """Everything the portal pages show, computed once per SNAPSHOT_SECONDS and shared by
    every visitor. The data is cached rather than the pages, because each page carries the
    visitor's own CSRF token (the language switch) and, when signed in, their name.
    `plan_slug` picks another plan than the latest (`Plan.DoesNotExist` if unknown)."""

    def compute() -> dict:
        plans = plan_choices()
        plan = chosen_plan(plan_slug, plans)
        points = list(certified_points(today))
        for point in points:
            point.certificate = point.valid_certificates[0]
        return {
            "plan": plan,
            "plans": plans,
            "progress": current_progress(plan) if plan else None,
            "indicators": indicator_rows(plan) if plan else [],
            "fairs": upcoming_fairs(today),
            "points": points,
            "dots": district_map(points),
            "map": (MAP_WIDTH, MAP_HEIGHT),
            "expires": time.time() + SNAPSHOT_SECONDS,
        }

    key = f"portal:snapshot:{today.isoformat()}:{plan_slug}"
    return cache.get_or_set(key, compute, SNAPSHOT_SECONDS)


def seconds_left(data: dict) -> int:
    """How long a snapshot has left to live: what is cached from it lives no longer."""
    return max(1, round(data["expires"] - time.time()))


def progress_records(plan: Plan) -> list[dict]:
    """One row per deliverable, as the status engine has it on the portal's date: a
    deliverable without a number in the plan is counted in milestones (`milestones`)."""
    return [
        {
            "task": t.task.number,
            "task_title": t.task.title,
            "lead": t.task.lead.code,
            "deliverable": d.deliverable.display_code,
            "name": d.deliverable.name,
            "unit": "" if d.milestones else d.deliverable.unit,
            "milestones": d.milestones,
            "target": float(d.target),
            "done": float(d.achieved),
            "percent": d.percent,
            "status": d.status.value,
            "as_of": progress.as_of.isoformat(),
        }
        for progress in [current_progress(plan)]
        for t in progress.tasks
        for d in t.deliverables
    ]


def indicator_records(plan: Plan) -> list[dict]:
    return [
        {
            "code": i.code,
            "name": i.name,
            "scope": i.scope,
            "unit": i.unit,
            "target": float(i.target) if i.target is not None else None,
            "value": float(i.value) if i.value is not None else None,
            "period": i.period,
            "direction": i.direction,
            "deadline": i.deadline.isoformat() if i.deadline else None,
        }
        for i in indicator_rows(plan)
    ]


def green_point_records(today: dt.date) -> list[dict]:
    rows = []
    for point in certified_points(today):
        certificate = point.valid_certificates[0]
        rows.append(
            {
                "name": point.name,
                "enterprise": point.enterprise.name,
                "tax_code": point.enterprise.tax_code,
                "field": point.field.name,
                "address": point.address,
                "district": point.district.name,
                "certificate": certificate.number,
                "valid_until": certificate.valid_until.isoformat(),
            }
        )
    return rows


def fair_records(today: dt.date) -> list[dict]:
    return [
        {
            "name": f.name,
            "chain": f.chain.name if f.chain else None,
            "venue": f.venue,
            "district": f.district.name,
            "start": f.start_date.isoformat(),
            "end": f.end_date.isoformat(),
            "booths": f.capacity,
            "free_booths": f.free,
        }
        for f in upcoming_fairs(today)
    ]
