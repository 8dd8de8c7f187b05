"""The period vocabulary of the whole app: `2020` (year), `2020-H1`/`2020-H2` (half),
`2020-Q1`…`2020-Q4` (quarter) and `2020-07` (month).

Indicator figures, reports and reporting duties are keyed by these codes; one parser means a
code the indicator page accepts is one the report command accepts, with the same dates and
the same words. Lower case and surrounding spaces are accepted (`2020-h1`); the canonical code
is upper case.
"""

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CODE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|(?P<month>\d{2})))?$"
)


class PeriodKind(models.TextChoices):
    """How long a period is (stored with indicator values)."""

    MONTH = "month", gettext_lazy("Tháng")
    QUARTER = "quarter", gettext_lazy("Quý")
    HALF = "half", gettext_lazy("6 tháng")
    YEAR = "year", gettext_lazy("Năm")


class InvalidPeriod(ValidationError, ValueError):
    """A code that names no period. A ValidationError (forms and services show it as a
    refusal) and a ValueError (callers parsing data catch it as such)."""

    def __str__(self) -> str:
        return " ".join(self.messages)


@dataclass(frozen=True)
class Period:
    code: str
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """The period as it reads in a title ("6 tháng đầu năm 2020"), in the active language."""
        year = self.start.year
        if self.kind == PeriodKind.HALF:
            first = self.start.month == 1
            text = _("6 tháng đầu năm %(y)s") if first else _("6 tháng cuối năm %(y)s")
            return text % {"y": year}
        if self.kind == PeriodKind.QUARTER:
            return _("quý %(q)s năm %(y)s") % {"q": (self.start.month + 2) // 3, "y": year}
        if self.kind == PeriodKind.MONTH:
            return _("tháng %(m)s năm %(y)s") % {"m": self.start.month, "y": year}
        return _("năm %(y)s") % {"y": year}


def _span(code: str, kind: str, year: int, first_month: int, months: int) -> Period:
    last_month = first_month + months - 1
    end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Period(code, kind, dt.date(year, first_month, 1), end)


def parse_period(code: str, kinds: Iterable[str] | None = None) -> Period:
    """The period a code names; InvalidPeriod for anything else, or for a kind not in
    `kinds` when given (reports have no monthly period)."""
    text = (code or "").strip().upper()
    match = CODE.match(text)
    period: Period | None = None
    if match:
        year = int(match["year"])
        if match["half"]:
            period = _span(text, PeriodKind.HALF, year, 1 if match["half"] == "H1" else 7, 6)
        elif match["quarter"]:
            period = _span(text, PeriodKind.QUARTER, year, 3 * int(match["quarter"][1]) - 2, 3)
        elif match["month"]:
            month = int(match["month"])
            if 1 <= month <= 12:
                period = _span(text, PeriodKind.MONTH, year, month, 1)
        else:
            period = _span(text, PeriodKind.YEAR, year, 1, 12)
    allowed = list(kinds) if kinds is not None else list(PeriodKind.values)
    if period is None or period.kind not in allowed:
        examples = {
            PeriodKind.YEAR: "2020",
            PeriodKind.HALF: "2020-H1",
            PeriodKind.QUARTER: "2020-Q3",
            PeriodKind.MONTH: "2020-07",
        }
        raise InvalidPeriod(
            _("“%(code)s”: kỳ không hợp lệ (dùng %(forms)s).")
            % {
                "code": code,
                "forms": ", ".join(v for k, v in examples.items() if k in allowed),
            },
            code="periods.invalid_period",
        )
    return period


def year_codes(year: int) -> Iterator[str]:
    """Every period code of a year, shortest first: months, quarters, halves, the year."""
    yield from (f"{year}-{m:02d}" for m in range(1, 13))
    yield from (f"{year}-Q{q}" for q in range(1, 5))
    yield from (f"{year}-H1", f"{year}-H2", str(year))


def periods_between(start: dt.date, end: dt.date) -> list[Period]:
    """Every month, quarter, half and year that overlaps [start, end], shortest first."""
    spans: list[Period] = []
    for year in range(start.year, end.year + 1):
        spans += [
            s for s in map(parse_period, year_codes(year)) if s.start <= end and s.end >= start
        ]
    return spans
