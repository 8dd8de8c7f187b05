"""The indicator engine: every indicator of a plan, per period and unit, from the records.

For each indicator one query fetches the responses it reads over the plan's whole period
(with the answers it tests already evaluated by the database); the periods and districts are
then aggregated in memory, so computing a whole plan costs a handful of queries whatever the
number of periods. The same selection code lists the records behind any stored value.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scpvn.assessments.formmodels import counted_responses
from scpvn.assessments.models import Answer, Question, Questionnaire, Response
from scpvn.core.jobs import enqueue_unless_waiting
from scpvn.core.periods import Period, parse_period, periods_between
from scpvn.geo.models import District, Unit
from scpvn.indicators.methods import (
    Condition,
    FacilityCountParams,
    ReductionParams,
    ShareParams,
    divides_by,
    method_params,
)
from scpvn.indicators.models import IndicatorValue, ManualValue
from scpvn.plans.models import Indicator, Plan
from scpvn.registry.models import Enterprise, Place

logger = logging.getLogger(__name__)
HUNDRED = Decimal(100)
DECIMALS = {"value", "numerator", "denominator", "coverage"}
QUANT = Decimal("0.01")


@dataclass
class Figure:
    """One value for one period and unit, before it is stored."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    observed: int = 0
    population: int = 0

    @property
    def coverage(self) -> Decimal | None:
        if not self.population:
            return None
        return (HUNDRED * self.observed / self.population).quantize(QUANT)


@dataclass(frozen=True)
class CountedRecord:
    """A response behind a value and the part it played."""

    response_id: int
    subject: str
    district: str
    date: dt.date
    role: str


def _pct(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return (HUNDRED * numerator / denominator).quantize(QUANT) if denominator else None


def _ratio(amount: Decimal, total: Decimal) -> Decimal | None:
    return amount / total if total else None


def _questionnaire(code: str) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(code=code).order_by("-version").first()
    if questionnaire is None:
        raise ValueError(f"không có phiếu khảo sát mã {code}")
    return questionnaire


def _question_ids(code: str, question: str) -> list[int]:
    return list(
        Question.objects.filter(questionnaire__code=code, code=question).values_list(
            "id", flat=True
        )
    )


def _subjects(questionnaire: Questionnaire, params) -> tuple[str, Any]:
    """(response field naming the subject, registry queryset of the indicator's subjects)."""
    if questionnaire.subject == Questionnaire.Subject.PLACE:
        # a place a visit proposed counts once a reviewer confirmed it
        registered = Place.objects.exclude(status=Place.Status.PENDING)
        return "place", registered.filter(params.filter.q())
    return "enterprise", Enterprise.objects.filter(params.filter.q())


def _area_field(indicator: Indicator) -> str:
    """The column that places a row on the map at the level the indicator is computed:
    the response's (or subject's) unit for a commune-level indicator, its old district
    otherwise (the 2020 plan)."""
    return "unit_id" if indicator.level == Indicator.Level.COMMUNE else "district_id"


def _areas(area_field: str, pairs) -> dict:
    """Drop the area of rows that are not on a unit of the asked level (a commune-level
    indicator fed by a record still on an old district): they count for the province only."""
    if area_field != "unit_id":
        return {}
    ids = {area for area, *_rest in pairs if area is not None}
    return set(
        Unit.objects.filter(pk__in=ids, level=Unit.Level.COMMUNE).values_list("pk", flat=True)
    )


def _population(subjects, area_field: str = "district_id") -> dict[int | None, int]:
    counts = dict(subjects.values_list(area_field).annotate(n=Count("id")).order_by())
    if area_field == "unit_id":
        keep = _areas(area_field, counts.items())
        merged: dict[int | None, int] = defaultdict(int)
        for area, n in counts.items():
            merged[area if area in keep else None] += n
        return dict(merged)
    return counts


def _place_rows(rows: list[tuple], area_field: str) -> list[tuple]:
    """Rows keep their area at index 1 only when it is a unit of the asked level."""
    if area_field != "unit_id":
        return rows
    keep = _areas(area_field, [(r[1],) for r in rows])
    return [(r[0], r[1] if r[1] in keep else None, *r[2:]) for r in rows]


def _responses(questionnaire: Questionnaire, field: str, params):
    """The responses an indicator reads: its questionnaire (any version), its subjects."""
    return Response.objects.filter(
        counted_responses(),
        params.filter.q(prefix=f"{field}__"),
        questionnaire__code=questionnaire.code,
    )


# ---- share ---------------------------------------------------------------------------------


def _condition_q(questionnaire: str, condition: Condition, end: dt.date) -> Q:
    """A response-level test for one condition. A registered condition (traceability, by
    the trace app) is read from its app's records as of `end`, so enterprises with
    QR-traceable products count from their records, not only from what they answered."""
    if condition.any is not None:
        return reduce(or_, (_condition_q(questionnaire, c, end) for c in condition.any))
    if condition.registered is not None:
        registered, value = condition.registered
        return registered.responses(value, end)
    ids = _question_ids(questionnaire, condition.question)
    return Q(
        Exists(
            Answer.objects.filter(
                condition.answer_lookup(), response=OuterRef("pk"), question_id__in=ids
            )
        )
    )


def _share_rows(
    params: ShareParams | FacilityCountParams,
    start: dt.date,
    end: dt.date,
    area: str = "district_id",
):
    questionnaire = _questionnaire(params.questionnaire)
    field, subjects = _subjects(questionnaire, params)
    qs = _responses(questionnaire, field, params).filter(date__range=(start, end))
    tests = {
        f"c{i}": ExpressionWrapper(
            _condition_q(params.questionnaire, condition, end), output_field=BooleanField()
        )
        for i, condition in enumerate(params.condition)
    }
    rows = (
        qs.annotate(**tests)
        .order_by("date", "pk")
        .values_list(f"{field}_id", area, "date", "pk", *tests)
    )
    rows = [(s, d, day, pk, all(flags)) for s, d, day, pk, *flags in rows]
    return _place_rows(rows, area), _population(subjects, area)


def _share_figures(
    params: ShareParams, latest: dict[int, tuple], population: dict[int, int]
) -> dict[int | None, Figure]:
    # the city has a figure even when nothing was observed
    figures: dict[int | None, Figure] = defaultdict(Figure, {None: Figure()})
    matched: dict[int | None, int] = defaultdict(int)
    for _subject, district, _day, _pk, ok in latest.values():
        for unit in {district, None}:
            figures[unit].observed += 1
            matched[unit] += ok
    for district, count in population.items():
        if district is not None:
            figures[district].population = count
        figures[None].population += count
    for unit, figure in figures.items():
        denominator = figure.observed if params.denominator == "observed" else figure.population
        figure.numerator = Decimal(matched[unit])
        figure.denominator = Decimal(denominator)
        figure.value = _pct(figure.numerator, figure.denominator)
    return figures


def _by_month(rows) -> dict[tuple[int, int], dict[int, tuple]]:
    """Latest row per subject in each month; a longer period merges its months in order, so
    a subject counts as it stood at its last response in the period."""
    months: dict[tuple[int, int], dict[int, tuple]] = defaultdict(dict)
    for row in rows:
        months[(row[2].year, row[2].month)][row[0]] = row
    return months


def _merge_months(months, span: Period) -> dict[int, tuple]:
    latest: dict[int, tuple] = {}
    year, month = span.start.year, span.start.month
    while dt.date(year, month, 1) <= span.end:
        latest.update(months.get((year, month), {}))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return latest


# ---- facility count ------------------------------------------------------------------------


def _standing(rows, end: dt.date) -> dict[int, tuple]:
    """Each facility's latest row up to `end` (rows come in date order): a facility counts
    as it stood when last visited, even if the period itself had no visit."""
    latest: dict[int, tuple] = {}
    for row in rows:
        if row[2] > end:
            break
        latest[row[0]] = row
    return latest


def _count_figures(latest: dict[int, tuple], population: dict) -> dict[int | None, Figure]:
    """The facilities that meet the conditions, per area and for the province; coverage
    tells how many of the registered facilities were ever visited."""
    figures: dict[int | None, Figure] = defaultdict(Figure, {None: Figure()})
    for _subject, area, _day, _pk, ok in latest.values():
        for unit in {area, None}:
            figures[unit].observed += 1
            figures[unit].numerator = (figures[unit].numerator or Decimal(0)) + ok
    for area, count in population.items():
        if area is not None:
            figures[area].population = count
        figures[None].population += count
    for figure in figures.values():
        figure.numerator = figure.numerator or Decimal(0)
        figure.value = figure.numerator
    return figures


# ---- reduction -----------------------------------------------------------------------------


def _reduction_rows(params: ReductionParams, end: dt.date, area: str = "district_id"):
    questionnaire = _questionnaire(params.questionnaire)
    field, subjects = _subjects(questionnaire, params)
    qs = _responses(questionnaire, field, params).filter(date__lte=end)
    ids = {
        name: _question_ids(params.questionnaire, question)
        for name, question in (
            ("phase", params.phase.question),
            ("amount", params.amount),
            ("total", params.total),
        )
    }
    # One pass over the answers of each response (conditional aggregates) rather than a
    # correlated subquery per figure.
    rows = (
        qs.filter(answers__question_id__in=[i for group in ids.values() for i in group])
        .annotate(
            phase=Max("answers__text", filter=Q(answers__question_id__in=ids["phase"])),
            amount=Max("answers__number", filter=Q(answers__question_id__in=ids["amount"])),
            total=Max("answers__number", filter=Q(answers__question_id__in=ids["total"])),
        )
        .order_by("date", "pk")
        .values_list(f"{field}_id", area, "date", "pk", "phase", "amount", "total")
    )
    rows = [r for r in rows if r[5] is not None and r[6]]
    return _place_rows(rows, area), _population(subjects, area)


def _reduction_selection(params: ReductionParams, rows, span: Period):
    """(baseline rows known by the end of the span, follow-up rows inside it)."""
    baseline = [r for r in rows if r[4] == params.phase.baseline and r[2] <= span.end]
    follow_up = [r for r in rows if r[4] == params.phase.follow_up and span.contains(r[2])]
    return baseline, follow_up


def _reduction_figures(baseline, follow_up, population: dict[int, int]) -> dict[int | None, Figure]:
    sums: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    observed: dict[int | None, set[int]] = defaultdict(set)
    for phase, rows in (("base", baseline), ("now", follow_up)):
        for subject, district, _day, _pk, _phase, amount, total in rows:
            for unit in {district, None}:
                sums[(phase, unit)][0] += amount
                sums[(phase, unit)][1] += total
                if phase == "now":
                    observed[unit].add(subject)
    figures: dict[int | None, Figure] = defaultdict(Figure)
    units = {unit for _phase, unit in sums} | set(population) | {None}
    for unit in units:
        figure = figures[unit]
        figure.population = (
            population.get(unit, 0) if unit is not None else sum(population.values())
        )
        figure.observed = len(observed[unit])
        base = _ratio(*sums[("base", unit)]) if ("base", unit) in sums else None
        now = _ratio(*sums[("now", unit)]) if ("now", unit) in sums else None
        figure.numerator = None if now is None else (HUNDRED * now).quantize(QUANT)
        figure.denominator = None if base is None else (HUNDRED * base).quantize(QUANT)
        if base and now is not None:
            figure.value = (HUNDRED * (base - now) / base).quantize(QUANT)
    return figures


# ---- computing and storing -----------------------------------------------------------------


def params_problem(indicator: Indicator) -> str | None:
    """Why the engine cannot read this indicator's `method.params` (None if it can): a plan
    file may be loaded before its params are written."""
    try:
        params = method_params(indicator.method)
        if params is not None and hasattr(params, "questionnaire"):
            _questionnaire(params.questionnaire)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        return str(exc)
    return None


def _spans(plan: Plan) -> list[Period]:
    return periods_between(plan.period_start, plan.period_end)


def compute_figures(indicator: Indicator) -> dict[tuple[str, int | None], Figure]:
    """Every (period code, area id or None for the province) figure of a computed indicator;
    the area is a district id, or a unit id for a commune-level indicator (`_area_field`)."""
    params = method_params(indicator.method)
    spans = _spans(indicator.plan)
    area = _area_field(indicator)
    out: dict[tuple[str, int | None], Figure] = {}
    if isinstance(params, ShareParams):
        rows, population = _share_rows(params, spans[0].start, spans[-1].end, area)
        months = _by_month(rows)
        for span in spans:
            for unit, figure in _share_figures(
                params, _merge_months(months, span), population
            ).items():
                out[(span.code, unit)] = figure
    elif isinstance(params, ReductionParams):
        rows, population = _reduction_rows(params, spans[-1].end, area)
        for span in spans:
            baseline, follow_up = _reduction_selection(params, rows, span)
            for unit, figure in _reduction_figures(baseline, follow_up, population).items():
                out[(span.code, unit)] = figure
    elif isinstance(params, FacilityCountParams):
        rows, population = _share_rows(params, spans[0].start, spans[-1].end, area)
        for span in spans:
            for unit, figure in _count_figures(_standing(rows, span.end), population).items():
                out[(span.code, unit)] = figure
    return out


def _manual_rows(indicator: Indicator) -> list[dict[str, Any]]:
    latest: dict[tuple[str, int | None], ManualValue] = {}
    for manual in indicator.manual_values.order_by("entered_at", "pk"):
        latest[(manual.period, manual.district_id)] = manual
    rows = []
    for (period, district_id), manual in latest.items():
        span = parse_period(period)
        rows.append(
            {
                "indicator_id": indicator.pk,
                "period": period,
                "period_kind": span.kind,
                "start": span.start,
                "end": span.end,
                "district_id": district_id,
                "value": manual.value,
                "observed": 0,
                "population": 0,
                "source": IndicatorValue.Source.MANUAL,
                "manual_id": manual.pk,
            }
        )
    return rows


VALUE_COLUMNS = [
    "indicator_id", "period", "period_kind", "start", "end", "district_id", "unit_id", "value",
    "numerator",
    "denominator", "observed", "population", "coverage", "source", "manual_id", "computed_at",
]  # fmt: skip


def _insert(rows: list[dict[str, Any]]) -> None:
    """Insert value rows (column → value; a column not named is NULL) with one prepared
    statement: a plan's few thousand values went in several times slower through model
    instances and bulk_create's per-field compilation."""
    if not rows:
        return
    ops = connection.ops
    table = IndicatorValue._meta.db_table
    quote = ops.quote_name
    columns = ", ".join(quote(c) for c in VALUE_COLUMNS)
    if connection.vendor == "postgresql":
        # COPY: executemany binds every row's values in Python (1 s for a plan's values)
        now = timezone.now()
        copy_sql = f"COPY {quote(table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row([now if c == "computed_at" else row.get(c) for c in VALUE_COLUMNS])
        return
    sql = (
        f"INSERT INTO {quote(table)} ({columns}) VALUES ({', '.join(['%s'] * len(VALUE_COLUMNS))})"
    )
    now = ops.adapt_datetimefield_value(timezone.now())
    adapt = {c: ops.adapt_decimalfield_value for c in DECIMALS}
    adapt |= {"start": ops.adapt_datefield_value, "end": ops.adapt_datefield_value}
    params = [
        [
            now if c == "computed_at" else adapt[c](row.get(c)) if c in adapt else row.get(c)
            for c in VALUE_COLUMNS
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@transaction.atomic
def compute_indicator(indicator: Indicator) -> int:
    """Recompute and store every value of one indicator; returns how many rows it has."""
    if not indicator.method:
        return 0
    problem = params_problem(indicator)
    if problem:
        logger.warning("chỉ tiêu %s: %s", indicator.code, problem)
        IndicatorValue.objects.filter(indicator=indicator).delete()
        return 0
    if indicator.method["kind"] == "manual":
        rows = _manual_rows(indicator)
    else:
        spans = {s.code: s for s in _spans(indicator.plan)}
        area_column = _area_field(indicator)
        rows = [
            {
                "indicator_id": indicator.pk,
                "period": code,
                "period_kind": spans[code].kind,
                "start": spans[code].start,
                "end": spans[code].end,
                area_column: area_id,
                "value": figure.value,
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "observed": figure.observed,
                "population": figure.population,
                "coverage": figure.coverage,
                "source": IndicatorValue.Source.COMPUTED,
            }
            for (code, area_id), figure in compute_figures(indicator).items()
        ]
    IndicatorValue.objects.filter(indicator=indicator).delete()
    _insert(rows)
    return len(rows)


def compute_plan(plan: Plan) -> int:
    """Recompute every indicator of the plan; returns how many values are stored. An
    indicator a reloaded plan file split into parts (4.4) keeps no value of its own."""
    IndicatorValue.objects.filter(indicator__plan=plan, indicator__method__isnull=True).delete()
    return sum(compute_indicator(i) for i in plan.indicators.exclude(method=None))


def _enqueue_recompute() -> None:
    from scpvn.indicators.tasks import recompute_indicators

    enqueue_unless_waiting(recompute_indicators)


def schedule_recompute() -> None:
    """Recompute in the background once the current transaction commits; several changes in
    one transaction queue a single job, and none while a recompute waits to start."""
    pending = transaction.get_connection().run_on_commit
    if any(func is _enqueue_recompute for _ids, func, _robust in pending):
        return
    transaction.on_commit(_enqueue_recompute)


# ---- reading -------------------------------------------------------------------------------


def records_that_counted(
    indicator: Indicator, period_code: str, district: District | Unit | None
) -> list[CountedRecord]:
    """The responses behind a value, with the role each played (selected by the same code
    that computed the value)."""
    span = parse_period(period_code)
    if params_problem(indicator):
        return []
    params = method_params(indicator.method)
    in_unit = (lambda row: True) if district is None else (lambda row: row[1] == district.pk)
    picked: list[tuple[tuple, str]] = []
    if isinstance(params, ShareParams):
        rows, _population = _share_rows(params, span.start, span.end, _area_field(indicator))
        for row in _merge_months(_by_month(rows), span).values():
            if in_unit(row):
                picked.append((row, _("tử số và mẫu số") if row[4] else _("mẫu số")))
    elif isinstance(params, ReductionParams):
        rows, _population = _reduction_rows(params, span.end, _area_field(indicator))
        baseline, follow_up = _reduction_selection(params, rows, span)
        picked = [(r, _("kỳ gốc")) for r in baseline if in_unit(r)]
        picked += [(r, _("theo dõi")) for r in follow_up if in_unit(r)]
    elif isinstance(params, FacilityCountParams):
        start = indicator.plan.period_start
        rows, _population = _share_rows(params, start, span.end, _area_field(indicator))
        for row in _standing(rows, span.end).values():
            if in_unit(row):
                picked.append((row, _("được đếm") if row[4] else _("đã kiểm tra, không đếm")))
    else:
        return []
    responses = Response.objects.select_related("enterprise", "place", "district", "unit").in_bulk(
        [row[3] for row, _role in picked]
    )
    return [
        CountedRecord(
            response_id=row[3],
            subject=str(responses[row[3]].subject),
            district=str(responses[row[3]].unit or responses[row[3]].district),
            date=row[2],
            role=role,
        )
        for row, role in sorted(picked, key=lambda item: (item[0][2], item[0][3]))
    ]


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    target: Decimal | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    coverage: Decimal | None
    observed: int | None = None
    population: int | None = None
    divides_by: str | None = None  # a share's denominator: "registry" or "observed"


def indicator_table(plan: Plan, period_code: str) -> list[IndicatorRow]:
    """The city-wide value of every indicator of `plan` for one period, for reports.

    `period_code` is `2020` (year), `2020-H1`/`2020-H2` (half), `2020-Q1`…`2020-Q4`
    (quarter) or `2020-07` (month); ValueError otherwise. One row per indicator in plan
    order (parents included, with no value): `code`, `name`, `unit`, `target`, `value`
    (None when nothing was observed or entered for the period), `numerator` and
    `denominator` (for a share: matching subjects / subjects counted; for a reduction: the
    follow-up rate and the baseline rate, in %; None for manual values) and `coverage`
    (% of the registered subjects observed; None for manual values) with `observed` and
    `population`, the subjects behind it; `divides_by` says what a share divides by
    (`registry` or `observed`). Values are read from the stored figures; a plan never
    computed is computed first.
    """
    parse_period(period_code)
    if not IndicatorValue.objects.filter(indicator__plan=plan).exists():
        compute_plan(plan)
    stored = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            indicator__plan=plan, period=period_code, district=None, unit=None
        )
    }
    rows = []
    for indicator in plan.indicators.order_by("order"):
        value = stored.get(indicator.pk)
        rows.append(
            IndicatorRow(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                target=indicator.target,
                value=value.value if value else None,
                numerator=value.numerator if value else None,
                denominator=value.denominator if value else None,
                coverage=value.coverage if value else None,
                observed=value.observed if value and value.source == "computed" else None,
                population=value.population if value and value.source == "computed" else None,
                divides_by=divides_by(indicator.method),
            )
        )
    return rows


def values_for(indicator: Indicator, period_code: str) -> list[IndicatorValue]:
    """The stored values of one indicator and period, the province first then by district
    or by commune and ward, as the indicator is computed."""
    return list(
        IndicatorValue.objects.filter(indicator=indicator, period=period_code)
        .select_related("district", "unit", "manual")
        .order_by("district__code", "unit__code")
    )


def trend(indicator: Indicator, kind: str = "month") -> list[tuple[str, Decimal | None]]:
    """The city value of each period of one kind, in order (for the trend chart)."""
    return list(
        IndicatorValue.objects.filter(
            indicator=indicator, period_kind=kind, district=None, unit=None
        )
        .order_by("start")
        .values_list("period", "value")
    )


@transaction.atomic
def enter_manual_value(
    *,
    indicator: Indicator,
    period_code: str,
    value: Decimal,
    source_title: str,
    source_document,
    user,
    district: District | None = None,
    note: str = "",
) -> ManualValue:
    """Record a value entered by hand with its source document; it replaces earlier entries
    for the same period and unit (they stay in the list as history)."""
    if not indicator.method or indicator.method.get("kind") != "manual":
        raise ValueError(_("Chỉ tiêu này được tính từ dữ liệu, không nhập tay."))
    parse_period(period_code)
    manual = ManualValue.objects.create(
        indicator=indicator,
        period=period_code,
        district=district,
        value=value,
        source_title=source_title,
        source_document=source_document,
        note=note,
        entered_by=user,
    )
    compute_indicator(indicator)
    return manual


GOAL_STATUS = {
    "reached": gettext_lazy("Đạt mục tiêu"),
    "within_range": gettext_lazy("Trong khoảng mục tiêu"),
    "not_reached": gettext_lazy("Chưa đạt"),
}


def goal_status(indicator: Indicator, value: Decimal | None) -> str | None:
    """Where a value stands against the indicator's goal (`Indicator.goal`): for a range
    ("70–80 %") 'within_range' between its ends, 'reached' beyond the upper end; otherwise
    'reached' at or past the target. Values are written so that more is better (a reduction
    is the % saved), hence one comparison. None without a goal or a value."""
    goal = indicator.goal
    if goal is None or value is None:
        return None
    if value < goal:
        return "not_reached"
    if indicator.is_range and value <= indicator.target_max:
        return "within_range"
    return "reached"


def unit_label(district: District | Unit | None) -> str:
    return str(district) if district else _("Toàn Thành phố")


def leaf_indicators(plan: Plan) -> Iterable[Indicator]:
    return plan.indicators.exclude(method=None).order_by("order")
