"""What the public portal shows, computed from the records: progress by task (approved
activities only), indicator targets, certified green points on a district map, upcoming
fairs, and the same data as open-data rows."""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Q, Sum
from stdnum import ean

from scpvn.fairs.models import FairApplication, FairEvent
from scpvn.geo.models import District
from scpvn.greenpoints.models import GreenPoint
from scpvn.greenpoints.services import certified_points
from scpvn.indicators.services import indicator_table
from scpvn.plans.models import Deliverable, Indicator, Plan, Task
from scpvn.plans.services import chosen_plan
from scpvn.progress.models import Activity

LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


def deliverable_progress(plan: Plan) -> list[Task]:
    """Tasks with their deliverables, each annotated with `done` (sum of approved activity
    quantities) and `percent` of its target (None when the plan sets no number)."""
    approved = Q(activities__status=Activity.Status.APPROVED)
    deliverables = (
        Deliverable.objects.filter(task__plan=plan)
        .annotate(done=Sum("activities__quantity", filter=approved))
        .order_by("task__number", "order")
    )
    tasks = {t.pk: t for t in plan.tasks.select_related("lead").order_by("number")}
    for task in tasks.values():
        task.progress = []
    for d in deliverables:
        d.done = d.done or Decimal(0)
        d.percent = min(100, round(100 * d.done / d.target)) if d.target else None
        tasks[d.task_id].progress.append(d)
    return list(tasks.values())


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
    fairs = list(
        FairEvent.objects.filter(end_date__gte=today)
        .exclude(status=FairEvent.Status.CANCELLED)
        .select_related("district", "chain")
        .order_by("start_date")[:10]
    )
    for fair in fairs:
        fair.free = (
            fair.capacity
            - fair.applications.filter(status=FairApplication.Status.ALLOCATED).count()
        )
    return fairs


@dataclass(frozen=True)
class MapDot:
    x: float
    y: float
    label: str
    count: int  # certified points in the district (0: the district is only drawn)


MAP_WIDTH, MAP_HEIGHT, MAP_PAD = 600, 520, 30


def district_map(points: list[GreenPoint]) -> list[MapDot]:
    """Districts placed at their centroids (equirectangular, scaled by cos latitude), each
    with how many certified points it has: an offline map, no tiles needed."""
    districts = list(District.objects.exclude(latitude=None).exclude(longitude=None))
    if not districts:
        return []
    counts: dict[int, int] = {}
    for point in points:
        counts[point.district_id] = counts.get(point.district_id, 0) + 1
    lats = [d.latitude for d in districts]
    lons = [d.longitude for d in districts]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = (max(lons) - min(lons)) * k or 1
    span_y = (max(lats) - min(lats)) or 1
    scale = min((MAP_WIDTH - 2 * MAP_PAD) / span_x, (MAP_HEIGHT - 2 * MAP_PAD) / span_y)
    return [
        MapDot(
            x=round(MAP_PAD + (d.longitude - min(lons)) * k * scale, 1),
            y=round(MAP_PAD + (max(lats) - d.latitude) * scale, 1),
            label=d.short_name,
            count=counts.get(d.pk, 0),
        )
        for d in districts
    ]


SNAPSHOT_SECONDS = 120


def snapshot(today: dt.date, plan_slug: str = "") -> dict:
    """Everything the portal pages show, computed once per SNAPSHOT_SECONDS and shared by
    every visitor. The data is cached rather than the pages, because each page carries the
    visitor's own CSRF token (the language switch) and, when signed in, their name.
    `plan_slug` picks another plan than the latest (`Plan.DoesNotExist` if unknown)."""

    def compute() -> dict:
        plan = chosen_plan(plan_slug)
        points = list(certified_points(today))
        for point in points:
            point.certificate = point.current_certificate(today)
        return {
            "plan": plan,
            "plans": list(Plan.objects.order_by("-period_start", "place")),
            "tasks": deliverable_progress(plan) if plan else [],
            "indicators": indicator_rows(plan) if plan else [],
            "fairs": upcoming_fairs(today),
            "points": points,
            "dots": district_map(points),
            "map": (MAP_WIDTH, MAP_HEIGHT),
        }

    key = f"portal:snapshot:{today.isoformat()}:{plan_slug}"
    return cache.get_or_set(key, compute, SNAPSHOT_SECONDS)


def normalise_gtin(code: str) -> str | None:
    """A GTIN-8/12/13/14 with a valid check digit, as the 14 digits GS1 Digital Link uses;
    None when it is not one."""
    digits = "".join(code.split())
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14) or not ean.is_valid(digits):
        return None
    return digits.zfill(14)


def progress_records(plan: Plan) -> list[dict]:
    return [
        {
            "task": task.number,
            "task_title": task.title,
            "lead": task.lead.code,
            "deliverable": d.code,
            "name": d.name,
            "unit": d.unit,
            "target": float(d.target) if d.target is not None else None,
            "done": float(d.done),
            "percent": d.percent,
        }
        for task in deliverable_progress(plan)
        for d in task.progress
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
        certificate = point.current_certificate(today)
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
