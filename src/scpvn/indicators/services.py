"""The indicator engine: every indicator of a plan, per period and unit, from the records.

Computing a plan reads the records once for all its indicators: one query per questionnaire
the plan names over its counted responses, each test its indicators make evaluated by the
database beside the response (a condition on an answer as an EXISTS, a reduction's phase
and rates as the answers themselves), one count of the registered subjects per registry
table and area level; then the periods and areas of each indicator in memory, and the
values that changed written over the stored ones in one transaction. The queries are a
dozen or two whatever the number of indicators, periods or records (a query per indicator
and a commit each cost ~80 round trips per plan). The same selection code lists the records
behind any stored value.
"""

import datetime as dt
import logging
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    Field,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scpvn.assessments.formmodels import counted_responses
from scpvn.assessments.models import Answer, Question, Questionnaire, Response
from scpvn.core.collection import collection_paused
from scpvn.core.jobs import enqueue_unless_waiting
from scpvn.core.periods import Period, parse_period, periods_between
from scpvn.geo.areas import area_name
from scpvn.geo.models import District, Unit
from scpvn.indicators.methods import (
    AnyParams,
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
Computed = ShareParams | ReductionParams | FacilityCountParams
# The tests of the shared read are taken as the database returns them (true or false, 1 or
# 0; NULL for another questionnaire's response): a BooleanField costs a converter call per
# cell on SQLite, for a dozen columns of every response.
RAW = Field()


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


# ---- what the indicators read, once for all of them -----------------------------------------


@dataclass(frozen=True, eq=False)
class _Job:
    """One computed indicator as the shared read sees it: its params, the response column
    naming its subject (`enterprise` or `place`), the column placing a row on the map
    (`_area_field`) and the first response date it reads (None: every earlier response,
    for a reduction's baseline)."""

    indicator: Indicator
    params: Computed
    field: str
    area: str
    start: dt.date | None


def _checked(
    indicators: list[Indicator],
) -> tuple[list[tuple[Indicator, AnyParams | None, str | None]], dict[str, Questionnaire]]:
    """Each indicator with its typed params, or with why the engine cannot read them (a
    plan file may be loaded before its params are written); and the latest version of
    each questionnaire they name, read in one query."""
    parsed: list[tuple[Indicator, AnyParams | None, str | None]] = []
    for indicator in indicators:
        try:
            parsed.append((indicator, method_params(indicator.method), None))
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            parsed.append((indicator, None, str(exc)))
    codes = {p.questionnaire for _i, p, _e in parsed if hasattr(p, "questionnaire")}
    latest = {
        q.code: q for q in Questionnaire.objects.filter(code__in=codes).order_by("version", "pk")
    }
    checked = []
    for indicator, params, problem in parsed:
        code = getattr(params, "questionnaire", None)
        if code is not None and code not in latest:
            params, problem = None, f"không có phiếu khảo sát mã {code}"
        checked.append((indicator, params, problem))
    return checked, latest


def _area_field(indicator: Indicator) -> str:
    """The column that places a row on the map at the level the indicator is computed:
    the response's (or subject's) unit for a commune-level indicator, its old district
    otherwise (the 2020 plan)."""
    return "unit_id" if indicator.level == Indicator.Level.COMMUNE else "district_id"


def _job(indicator: Indicator, params: Computed, latest: dict[str, Questionnaire]) -> _Job:
    place = latest[params.questionnaire].subject == Questionnaire.Subject.PLACE
    return _Job(
        indicator=indicator,
        params=params,
        field="place" if place else "enterprise",
        area=_area_field(indicator),
        # from the first day of the plan's first month, the start of its first period
        start=None if isinstance(params, ReductionParams) else _spans(indicator.plan)[0].start,
    )


def _registry(job: _Job) -> Q:
    """The registered subjects an indicator is about (its population)."""
    if job.field == "place":
        # a place a visit proposed counts once a reviewer confirmed it
        return ~Q(status=Place.Status.PENDING) & job.params.filter.q()
    return job.params.filter.q()


# A condition as the shared read evaluates it: the index of its column among the values of a
# row, None for a question no version of the questionnaire has (never met), or the list of
# the parts of an `any`.
Test = int | None | list["Test"]


class _Columns:
    """The test columns of one questionnaire's read, after the response's own (`offset` of
    them): one per distinct test, however many of its indicators share it."""

    def __init__(self, offset: int) -> None:
        self.expressions: dict[str, Any] = {}
        self.index: dict[tuple, int] = {}
        self.offset = offset

    def add(self, key: tuple, expression) -> int:
        """The index of the column `key` in a row; `expression()` builds it the first time."""
        if key not in self.index:
            self.index[key] = self.offset + len(self.expressions)
            self.expressions[f"c{len(self.expressions)}"] = expression()
        return self.index[key]

    def answer(self, key: tuple, ids: list[int], read, output_field: Field | None = None):
        """`read(answers)`, a subquery on the response's answers to the questions `ids`;
        None when no version of the questionnaire asks the question."""
        if not ids:
            return None
        answers = Answer.objects.filter(response=OuterRef("pk"), question_id__in=ids)
        if output_field is None:
            return self.add(key, lambda: read(answers))
        return self.add(key, lambda: ExpressionWrapper(read(answers), output_field=output_field))


def _test(
    condition: Condition, code: str, question_ids: dict, columns: _Columns, end: dt.date
) -> Test:
    if condition.any is not None:
        return [_test(c, code, question_ids, columns, end) for c in condition.any]
    key = condition.model_dump_json(by_alias=True)
    if condition.registered is not None:
        # read from the records of the app that registered it, as of `end` (so enterprises
        # with QR-traceable products count from their records, not only from what they said)
        registered, value = condition.registered
        return columns.add(
            ("registered", key),
            lambda: ExpressionWrapper(registered.responses(value, end), output_field=RAW),
        )
    return columns.answer(
        ("met", key),
        question_ids[(code, condition.question)],
        lambda answers: Exists(answers.filter(condition.answer_lookup())),
        RAW,
    )


def _read_rows(jobs: list[_Job], end: dt.date) -> dict[_Job, list[tuple]]:
    """The rows every job reads, in date order, from one query per questionnaire named over
    its counted responses up to `end`, with its jobs' tests as columns:
    `(subject, area, date, response id, meets every condition)` for a share or a facility
    count, `(subject, area, date, response id, phase, amount, total)` for a reduction (a
    response without an amount or a total left out). A registered condition is read from
    its app's records as of `end`.

    A query per questionnaire, not one for all: a row then carries its own questionnaire's
    tests only. With every test of every questionnaire in one row (NULL for the others'),
    fetching the rows cost half as much again as running the query on SQLite."""
    if not jobs:
        return {}
    versions: dict[str, list[int]] = defaultdict(list)
    for pk, code in Questionnaire.objects.filter(
        code__in={job.params.questionnaire for job in jobs}
    ).values_list("pk", "code"):
        versions[code].append(pk)
    question_ids: dict[tuple[str, str], list[int]] = defaultdict(list)
    for code, question, pk in Question.objects.filter(questionnaire__code__in=versions).values_list(
        "questionnaire__code", "code", "pk"
    ):
        question_ids[(code, question)].append(pk)
    by_code: dict[str, list[_Job]] = defaultdict(list)
    for job in jobs:
        by_code[job.params.questionnaire].append(job)
    rows: dict[_Job, list[tuple]] = {job: [] for job in jobs}
    for code, code_jobs in by_code.items():
        _read_questionnaire(code, versions[code], code_jobs, question_ids, end, rows)
    return rows


def _read_questionnaire(
    code: str,
    versions: list[int],
    jobs: list[_Job],
    question_ids: dict[tuple[str, str], list[int]],
    end: dt.date,
    rows: dict[_Job, list[tuple]],
) -> None:
    """Add to `rows` what the `jobs` of questionnaire `code` read (`_read_rows`). Its
    jobs share the subject column (the questionnaire's subject); a row is
    `(pk, subject, *areas, date, *tests)`."""
    areas = sorted({job.area for job in jobs})
    area_at = {area: 2 + i for i, area in enumerate(areas)}
    day_at = 2 + len(areas)
    columns = _Columns(offset=day_at + 1)
    # job, its filter column, and its reduction's three columns or its share's test
    plans: list[tuple[_Job, int | None, Any]] = []
    for job in jobs:
        params = job.params
        selected = None
        if params.filter.q():
            selected = columns.add(
                ("filter", params.filter.model_dump_json()),
                lambda job=job: ExpressionWrapper(
                    job.params.filter.q(prefix=f"{job.field}__"), output_field=RAW
                ),
            )
        if isinstance(params, ReductionParams):
            # the answer to each question (one per response: `answer_once`)
            tests: Any = [
                columns.answer(
                    ("answer", question),
                    question_ids[(code, question)],
                    lambda answers, field=field: Subquery(
                        answers.order_by().values("response").annotate(v=Max(field)).values("v")
                    ),
                )
                for question, field in (
                    (params.phase.question, "text"),
                    (params.amount, "number"),
                    (params.total, "number"),
                )
            ]
        else:
            tests = _meets([_test(c, code, question_ids, columns, end) for c in params.condition])
        plans.append((job, selected, tests))
    query = (
        Response.objects.filter(counted_responses(), questionnaire_id__in=versions, date__lte=end)
        .annotate(**columns.expressions)
        .order_by("date", "pk")
        .values_list("pk", f"{jobs[0].field}_id", *areas, "date", *columns.expressions)
    )
    # per job, what each row needs, looked up once: a row is read for every job of its
    # questionnaire (44,000 rows at 200,000 answers)
    readers = [
        (
            job.start or dt.date.min,
            selected,
            area_at[job.area],
            rows[job].append,
            reads,
            isinstance(job.params, ReductionParams),
        )
        for job, selected, reads in plans
    ]
    for row in _fetch(query):
        pk, subject, day = row[0], row[1], row[day_at]
        for start, selected, area, add, reads, reduction in readers:
            if day < start or (selected is not None and not row[selected]):
                continue
            if reduction:
                phase, amount, total = (None if t is None else row[t] for t in reads)
                if amount is not None and total:
                    add((subject, row[area], day, pk, phase, _decimal(amount), _decimal(total)))
            else:
                add((subject, row[area], day, pk, reads(row)))


def _meets(tests: list[Test]) -> Callable[[list], bool]:
    """Whether a response's columns meet every test, as one function made once per
    indicator (`_predicate`), not a walk of the tests per response."""
    return _predicate(tests, all)


def _predicate(tests: list[Test], combine: Callable) -> Callable[[list], bool]:
    """`combine` (all or any) of the tests over a row's columns: an item getter for plain
    columns (most conditions), a condition never met for a question no version asks, and
    the same built again for a condition met by any of its parts."""
    if tests and all(isinstance(test, int) for test in tests):
        if len(tests) == 1:
            [index] = tests
            return lambda values: bool(values[index])
        get = itemgetter(*tests)
        return lambda values: combine(get(values))
    parts = [_part(test) for test in tests]
    return lambda values: combine(part(values) for part in parts)


def _part(test: Test) -> Callable[[list], bool]:
    if test is None:
        return _never
    if isinstance(test, list):
        return _predicate(test, any)
    return _predicate([test], all)


def _never(_values: list) -> bool:
    return False


def _decimal(number: Any) -> Decimal:
    """A reduction's amount as Decimal: SQLite returns an answer's number as int or float
    (stored with 4 places at most, so its shortest text is the number typed)."""
    return number if isinstance(number, Decimal) else Decimal(str(number))


def _fetch(query: QuerySet) -> list[tuple]:
    """The rows of `query` as the database returns them, in one fetch: through the ORM,
    its converters (a call per cell for every date and number) and its fetches of 100 rows
    were a fifth of a plan's computing. On PostgreSQL read without JIT compilation.
    Estimated right, the shared read's plan costs millions (a correlated subquery per test
    and response), far past the thresholds at which PostgreSQL compiles and optimises a
    query: at 200,000 answers that took 0.8 s more than the 0.18 s read itself. SET LOCAL
    holds within a transaction; on SQLite one would only take the database's write lock
    for a read."""
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    postgresql = connection.vendor == "postgresql"
    within = transaction.atomic(savepoint=False) if postgresql else nullcontext()
    with within, connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def _populations(jobs: list[_Job]) -> dict[_Job, dict[int | None, int]]:
    """The registered subjects of every job per area (`_registry`), in one count per
    registry table and area level; an area with none of a job's subjects is left out."""
    groups: dict[tuple[str, str], list[_Job]] = defaultdict(list)
    for job in jobs:
        groups[(job.field, job.area)].append(job)
    out: dict[_Job, dict[int | None, int]] = {job: {} for job in jobs}
    for (field, area), group in groups.items():
        model = Place if field == "place" else Enterprise
        counts = {f"n{i}": Count("pk", filter=_registry(job)) for i, job in enumerate(group)}
        for where, *numbers in (
            model.objects.values(area).annotate(**counts).order_by().values_list(area, *counts)
        ):
            for job, n in zip(group, numbers, strict=True):
                if n:
                    out[job][where] = n
    return out


def _on_communes(
    jobs: list[_Job], rows: dict[_Job, list[tuple]], populations: dict[_Job, dict]
) -> None:
    """A commune-level indicator fed by a record, or counting a subject, still on an old
    district's unit: the row keeps no area, it counts for the province only (one query for
    every such indicator)."""
    communal = [job for job in jobs if job.area == "unit_id"]
    ids = {row[1] for job in communal for row in rows.get(job, ())}
    ids |= {area for job in communal for area in populations.get(job, {})}
    ids.discard(None)
    if not ids:
        return
    keep = set(
        Unit.objects.filter(pk__in=ids, level=Unit.Level.COMMUNE).values_list("pk", flat=True)
    )
    for job in communal:
        if job in rows:
            rows[job] = [(r[0], r[1] if r[1] in keep else None, *r[2:]) for r in rows[job]]
        if job in populations:
            merged: dict[int | None, int] = defaultdict(int)
            for area, n in populations[job].items():
                merged[area if area in keep else None] += n
            populations[job] = dict(merged)


# ---- share ---------------------------------------------------------------------------------


def _observed(
    rows: Iterable[tuple], population: dict[int | None, int]
) -> tuple[dict[int | None, Figure], Counter]:
    """The figures of a share or a facility count before their value: each area's observed
    subjects (one latest row each) and registered population, the province's (None) summing
    every area's and the rows kept on no area; and how many of the rows meet the conditions
    (`ok`, the row's last item), per area and for the province. Counted by `Counter` over
    the rows, as a loop over them was most of the figures' time."""
    rows = list(rows)
    observed = Counter(row[1] for row in rows)
    matched = Counter(row[1] for row in rows if row[4])
    # the province has a figure even when nothing was observed
    figures: dict[int | None, Figure] = defaultdict(Figure, {None: Figure(observed=len(rows))})
    for area, n in observed.items():
        if area is not None:
            figures[area].observed = n
    for area, count in population.items():
        if area is not None:
            figures[area].population = count
        figures[None].population += count
    matched[None] = sum(n for area, n in matched.items() if area is not None) + matched[None]
    return figures, matched


def _share_figures(
    params: ShareParams, latest: dict[int, tuple], population: dict[int, int]
) -> dict[int | None, Figure]:
    figures, matched = _observed(latest.values(), population)
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
    for month in _months_of(span):
        latest.update(months.get(month, {}))
    return latest


def _months_of(span: Period) -> Iterable[tuple[int, int]]:
    """(year, month) of every month a period holds, in order."""
    year, month = span.start.year, span.start.month
    while dt.date(year, month, 1) <= span.end:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


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
    figures, matched = _observed(latest.values(), population)
    for unit, figure in figures.items():
        figure.numerator = figure.value = Decimal(matched[unit])
    return figures


# ---- reduction -----------------------------------------------------------------------------


class _Phases:
    """A reduction's rows split by phase once. The follow-up is summed per month once and
    each period merges its months' sums (`follow_up_sums`; a pass over the rows per period
    was 19 passes for a plan's year); the baseline known by each period's end is summed in
    one pass for all periods (`baseline_by_end`). The rows come in date order
    (`_read_rows`), so the records behind a value are taken by bisection (`within`)."""

    def __init__(self, params: ReductionParams, rows: list[tuple]) -> None:
        self.baseline = [r for r in rows if r[4] == params.phase.baseline]
        self.follow_up = [r for r in rows if r[4] == params.phase.follow_up]
        self._baseline_days = [r[2] for r in self.baseline]
        self._follow_up_days = [r[2] for r in self.follow_up]
        # (year, month) → the follow-up's sums and observed subjects that month
        self._months: dict[tuple[int, int], tuple[dict, dict]] = defaultdict(
            lambda: ({}, defaultdict(set))
        )
        for row in self.follow_up:
            sums, observed = self._months[(row[2].year, row[2].month)]
            _add(sums, row)
            for unit in _counted_in(row[1]):
                observed[unit].add(row[0])

    def within(self, span: Period) -> tuple[list[tuple], list[tuple]]:
        """(baseline rows known by the end of the span, follow-up rows inside it)."""
        return self.baseline[: bisect_right(self._baseline_days, span.end)], self.follow_up_in(span)

    def follow_up_in(self, span: Period) -> list[tuple]:
        days = self._follow_up_days
        return self.follow_up[bisect_left(days, span.start) : bisect_right(days, span.end)]

    def follow_up_sums(self, span: Period) -> tuple[dict[int | None, list], dict[int | None, set]]:
        """The follow-up's [amount, total] and its observed subjects per area and for the
        province (None) within the span, merged from its months': each month is summed
        once for the month, quarter, half and year that hold it."""
        sums: dict[int | None, list] = {}
        observed: dict[int | None, set] = defaultdict(set)
        for month in _months_of(span):
            if month not in self._months:
                continue
            month_sums, month_observed = self._months[month]
            for unit, (amount, total) in month_sums.items():
                _add_to(sums, (unit,), amount, total)
            for unit, subjects in month_observed.items():
                observed[unit] |= subjects
        return sums, observed

    def baseline_by_end(self, ends: Iterable[dt.date]) -> dict[dt.date, dict[int | None, list]]:
        """For each end, the baseline's [amount, total] per area and for the province (None)
        over its rows up to that day: one pass over the rows, however many periods end on
        the same or a later day."""
        out: dict[dt.date, dict[int | None, list]] = {}
        sums: dict[int | None, list] = {}
        rows, taken = self.baseline, 0
        for end in sorted(set(ends)):
            while taken < len(rows) and rows[taken][2] <= end:
                _add(sums, rows[taken])
                taken += 1
            out[end] = {unit: list(pair) for unit, pair in sums.items()}
        return out


def _counted_in(area: int | None) -> tuple[int | None, ...]:
    """Where a reduction row counts: its area and the province (None), once for a row kept
    on no area."""
    return (area, None) if area is not None else (None,)


def _add(sums: dict[int | None, list], row: tuple) -> None:
    """Add a reduction row's amount and total to the sums of each place it counts in."""
    _subject, area, _day, _pk, _phase, amount, total = row
    _add_to(sums, _counted_in(area), amount, total)


def _add_to(
    sums: dict[int | None, list], units: Iterable[int | None], amount: Decimal, total: Decimal
) -> None:
    """Add an amount and a total to the [amount, total] sums of each of `units`."""
    for unit in units:
        pair = sums.setdefault(unit, [Decimal(0), Decimal(0)])
        pair[0] += amount
        pair[1] += total


def _reduction_figures(
    baseline: dict[int | None, list],
    now: dict[int | None, list],
    observed: dict[int | None, set],
    population: dict[int, int],
) -> dict[int | None, Figure]:
    """The figures of a reduction for one period: the baseline's sums known by its end
    (`_Phases.baseline_by_end`), and the follow-up's sums and observed subjects within it
    (`_Phases.follow_up_sums`)."""
    figures: dict[int | None, Figure] = defaultdict(Figure)
    for unit in set(baseline) | set(now) | set(population) | {None}:
        figure = figures[unit]
        figure.population = (
            population.get(unit, 0) if unit is not None else sum(population.values())
        )
        figure.observed = len(observed[unit])
        base = _ratio(*baseline[unit]) if unit in baseline else None
        current = _ratio(*now[unit]) if unit in now else None
        figure.numerator = None if current is None else (HUNDRED * current).quantize(QUANT)
        figure.denominator = None if base is None else (HUNDRED * base).quantize(QUANT)
        if base and current is not None:
            figure.value = (HUNDRED * (base - current) / base).quantize(QUANT)
    return figures


# ---- computing and storing -----------------------------------------------------------------


def params_problem(indicator: Indicator) -> str | None:
    """Why the engine cannot read this indicator's `method.params` (None if it can): a plan
    file may be loaded before its params are written."""
    [(_indicator, _params, problem)], _latest = _checked([indicator])
    return problem


def _spans(plan: Plan) -> list[Period]:
    return periods_between(plan.period_start, plan.period_end)


def _figures(
    params: Computed, rows: list[tuple], population: dict, spans: list[Period]
) -> dict[tuple[str, int | None], Figure]:
    """Every (period code, area id or None for the province) figure of a computed indicator
    from the rows it reads (`_read_rows`); the area is a district id, or a unit id for a
    commune-level indicator (`_area_field`)."""
    out: dict[tuple[str, int | None], Figure] = {}
    if isinstance(params, ShareParams):
        months = _by_month(rows)
        for span in spans:
            for unit, figure in _share_figures(
                params, _merge_months(months, span), population
            ).items():
                out[(span.code, unit)] = figure
    elif isinstance(params, ReductionParams):
        phases = _Phases(params, rows)
        baselines = phases.baseline_by_end(span.end for span in spans)
        for span in spans:
            now, observed = phases.follow_up_sums(span)
            for unit, figure in _reduction_figures(
                baselines[span.end], now, observed, population
            ).items():
                out[(span.code, unit)] = figure
    elif isinstance(params, FacilityCountParams):
        for span in spans:
            for unit, figure in _count_figures(_standing(rows, span.end), population).items():
                out[(span.code, unit)] = figure
    return out


def _manual_rows(indicators: list[Indicator]) -> list[dict[str, Any]]:
    """The latest value entered for each period and unit of every manual indicator."""
    latest: dict[tuple[int, str, int | None], ManualValue] = {}
    for manual in ManualValue.objects.filter(indicator__in=indicators).order_by("entered_at", "pk"):
        latest[(manual.indicator_id, manual.period, manual.district_id)] = manual
    rows = []
    for (indicator_id, period, district_id), manual in latest.items():
        span = parse_period(period)
        rows.append(
            {
                "indicator_id": indicator_id,
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


def _value_rows(plan: Plan, indicators: list[Indicator]) -> list[dict[str, Any]]:
    """Every value row of the plan's `indicators` (each with a method): the records are
    read once for all of them (`_read_rows`, `_populations`), whatever their number."""
    checked, latest = _checked(indicators)
    jobs, manual = [], []
    for indicator, params, problem in checked:
        if problem:
            logger.warning("chỉ tiêu %s: %s", indicator.code, problem)
        elif isinstance(params, Computed):
            indicator.plan = plan  # one plan: no query per indicator for its period
            jobs.append(_job(indicator, params, latest))
        elif indicator.method["kind"] == "manual":
            manual.append(indicator)
    spans = _spans(plan)
    rows, populations = _read_rows(jobs, spans[-1].end), _populations(jobs)
    _on_communes(jobs, rows, populations)
    values = _manual_rows(manual) if manual else []
    by_code = {span.code: span for span in spans}
    for job in jobs:
        values += [
            {
                "indicator_id": job.indicator.pk,
                "period": code,
                "period_kind": by_code[code].kind,
                "start": by_code[code].start,
                "end": by_code[code].end,
                job.area: area_id,
                "value": figure.value,
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "observed": figure.observed,
                "population": figure.population,
                "coverage": figure.coverage,
                "source": IndicatorValue.Source.COMPUTED,
            }
            for (code, area_id), figure in _figures(
                job.params, rows[job], populations[job], spans
            ).items()
        ]
    return values


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


# what identifies a stored value, and what it says
VALUE_KEY = ("indicator_id", "period", "district_id", "unit_id")
# (its kind, start and end follow from the period, part of the key)
VALUE_FIGURES = (
    "value", "numerator", "denominator", "observed", "population", "coverage", "source",
    "manual_id",
)  # fmt: skip


def _store(stored: QuerySet[IndicatorValue], rows: list[dict[str, Any]]) -> None:
    """Write the value rows computed over the `stored` ones: a value computed the same
    again is kept as it is (with its `computed_at`, so that says since when it holds), one
    that changed is replaced, one no longer computed is deleted, a new one inserted.

    A recompute follows every approval and changes a few of a plan's thousands of values;
    deleting and inserting them all was a third of a plan's computing (on PostgreSQL with
    the foreign-key checks at commit) and left as many dead rows. Renewing `computed_at`
    on the values kept would cost more than that again: an UPDATE of every row."""
    computed: dict[tuple, tuple[tuple, dict[str, Any]]] = {
        tuple(map(row.get, VALUE_KEY)): (tuple(map(row.get, VALUE_FIGURES)), row) for row in rows
    }
    stale = []
    width = 1 + len(VALUE_KEY)
    for stored_row in _fetch(stored.values_list("pk", *VALUE_KEY, *VALUE_FIGURES)):
        key = stored_row[1:width]
        if key in computed and _same(stored_row[width:], computed[key][0]):
            del computed[key]
        else:
            stale.append(stored_row[0])
    size = connection.ops.bulk_batch_size(["pk"], stale) or 1  # SQLite: 999 ids at most
    for chunk in range(0, len(stale), size):
        IndicatorValue.objects.filter(pk__in=stale[chunk : chunk + size]).delete()
    _insert([row for _figures, row in computed.values()])


def _same(stored: tuple, computed: tuple) -> bool:
    """Whether the figures of a stored value, as the database returns them, are those
    computed. PostgreSQL returns a decimal as a Decimal, compared exactly; SQLite keeps it
    as a number (NUMERIC affinity) and returns the float it stored, so a computed Decimal
    is compared as that float: equal floats would store the same. (Read through the ORM's
    converters instead, the stored values cost a fifth of a SQLite recompute.)"""
    return stored == computed or all(
        s == c or (isinstance(s, float) and isinstance(c, Decimal) and s == float(c))
        for s, c in zip(stored, computed, strict=True)
    )


def _lock(plan: Plan) -> None:
    """Hold the plan's row until the transaction ends: two recomputes of one plan at once
    (two workers, a value entered by hand meanwhile) would each write the values the other
    is writing, and the second would break their uniqueness. SQLite's transactions are
    already one at a time (`transaction_mode` IMMEDIATE)."""
    list(Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk"))


@transaction.atomic
@collection_paused()
def compute_indicator(indicator: Indicator) -> int:
    """Recompute and store every value of one indicator; returns how many rows it has."""
    if not indicator.method:
        return 0
    _lock(indicator.plan)
    rows = _value_rows(indicator.plan, [indicator])
    _store(IndicatorValue.objects.filter(indicator=indicator), rows)
    return len(rows)


@transaction.atomic
@collection_paused()
def compute_plan(plan: Plan) -> int:
    """Recompute every indicator of the plan; returns how many values are stored. An
    indicator a reloaded plan file split into parts (4.4) keeps no value of its own. One
    transaction for the whole plan: a commit per indicator cost more than reading the
    records."""
    _lock(plan)
    rows = _value_rows(plan, list(plan.indicators.exclude(method=None)))
    _store(IndicatorValue.objects.filter(indicator__plan=plan), rows)
    return len(rows)


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
    that computed the value, from the records up to the period's end)."""
    span = parse_period(period_code)
    [(_indicator, params, problem)], latest = _checked([indicator])
    if problem or not isinstance(params, Computed):
        return []
    job = _job(indicator, params, latest)
    rows = _read_rows([job], span.end)
    _on_communes([job], rows, {})
    in_unit = (lambda row: True) if district is None else (lambda row: row[1] == district.pk)
    picked: list[tuple[tuple, str]] = []
    if isinstance(params, ShareParams):
        for row in _merge_months(_by_month(rows[job]), span).values():
            if in_unit(row):
                picked.append((row, _("tử số và mẫu số") if row[4] else _("mẫu số")))
    elif isinstance(params, ReductionParams):
        baseline, follow_up = _Phases(params, rows[job]).within(span)
        picked = [(r, _("kỳ gốc")) for r in baseline if in_unit(r)]
        picked += [(r, _("theo dõi")) for r in follow_up if in_unit(r)]
    else:
        for row in _standing(rows[job], span.end).values():
            if in_unit(row):
                picked.append((row, _("được đếm") if row[4] else _("đã kiểm tra, không đếm")))
    responses = Response.objects.select_related("enterprise", "place", "district", "unit").in_bulk(
        [row[3] for row, _role in picked]
    )
    return [
        CountedRecord(
            response_id=row[3],
            subject=str(responses[row[3]].subject),
            district=area_name(responses[row[3]]),
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
