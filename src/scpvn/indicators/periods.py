"""Reporting periods and their codes: `2020` (year), `2020-H1` (half), `2020-Q3` (quarter),
`2020-07` (month). Every figure the engine stores is keyed by one of these codes."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from scpvn.indicators.models import Period

CODE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|(?P<month>\d{2})))?$"
)


@dataclass(frozen=True)
class PeriodSpan:
    code: str
    kind: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _span(code: str, kind: str, year: int, first_month: int, months: int) -> PeriodSpan:
    last_month = first_month + months - 1
    end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    return PeriodSpan(code, kind, dt.date(year, first_month, 1), end)


def parse_period(code: str) -> PeriodSpan:
    """The span a period code names; ValueError for anything else."""
    match = CODE.match(code or "")
    if not match:
        raise ValueError(f"kỳ không hợp lệ: {code!r} (dạng 2020, 2020-H1, 2020-Q3, 2020-07)")
    year = int(match["year"])
    if match["half"]:
        return _span(code, Period.HALF, year, 1 if match["half"] == "H1" else 7, 6)
    if match["quarter"]:
        return _span(code, Period.QUARTER, year, 3 * int(match["quarter"][1]) - 2, 3)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(f"kỳ không hợp lệ: {code!r} (tháng 01–12)")
        return _span(code, Period.MONTH, year, month, 1)
    return _span(code, Period.YEAR, year, 1, 12)


def periods_between(start: dt.date, end: dt.date) -> list[PeriodSpan]:
    """Every month, quarter, half and year that overlaps [start, end], shortest first."""
    spans: list[PeriodSpan] = []
    for year in range(start.year, end.year + 1):
        codes = [f"{year}-{m:02d}" for m in range(1, 13)]
        codes += [f"{year}-Q{q}" for q in range(1, 5)] + [f"{year}-H1", f"{year}-H2", str(year)]
        spans += [s for s in map(parse_period, codes) if s.start <= end and s.end >= start]
    return spans
