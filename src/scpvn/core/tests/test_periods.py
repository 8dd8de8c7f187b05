"""One period vocabulary: the codes indicators, reports and duties share, their dates and words."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from scpvn.core.periods import InvalidPeriod, PeriodKind, parse_period, periods_between


def test_half_year_has_its_dates_and_words_in_both_languages():
    h1 = parse_period("2020-h1")
    assert (h1.code, h1.kind, h1.start, h1.end) == (
        "2020-H1",
        PeriodKind.HALF,
        dt.date(2020, 1, 1),
        dt.date(2020, 6, 30),
    )
    with translation.override("vi"):
        assert h1.label == "6 tháng đầu năm 2020"
    with translation.override("en"):
        assert h1.label == "first half of 2020"


@pytest.mark.parametrize(
    "code,kind,end,label",
    [
        ("2020", PeriodKind.YEAR, dt.date(2020, 12, 31), "năm 2020"),
        ("2020-H2", PeriodKind.HALF, dt.date(2020, 12, 31), "6 tháng cuối năm 2020"),
        ("2020-Q3", PeriodKind.QUARTER, dt.date(2020, 9, 30), "quý 3 năm 2020"),
        ("2020-02", PeriodKind.MONTH, dt.date(2020, 2, 29), "tháng 2 năm 2020"),
        (" 2021-q1 ", PeriodKind.QUARTER, dt.date(2021, 3, 31), "quý 1 năm 2021"),
    ],
)
def test_every_kind_of_code(code, kind, end, label):
    period = parse_period(code)
    with translation.override("vi"):
        assert (period.kind, period.end, period.label) == (kind, end, label)


@pytest.mark.parametrize("code", ["2020-H3", "2020-Q9", "2020-13", "20", "", "2020-00", "2020-W1"])
def test_bad_codes_are_refused_as_validation_and_value_errors(code):
    with translation.override("vi"), pytest.raises(ValidationError, match="không hợp lệ"):
        parse_period(code)
    with pytest.raises(ValueError):
        parse_period(code)


def test_a_caller_may_narrow_the_kinds():
    with pytest.raises(InvalidPeriod) as refusal:
        parse_period("2020-07", kinds=[PeriodKind.YEAR, PeriodKind.HALF])
    assert refusal.value.code == "periods.invalid_period" and "2020-07" in str(refusal.value)


def test_periods_between_lists_every_overlapping_period_shortest_first():
    codes = [p.code for p in periods_between(dt.date(2020, 6, 15), dt.date(2020, 7, 10))]
    assert codes == ["2020-06", "2020-07", "2020-Q2", "2020-Q3", "2020-H1", "2020-H2", "2020"]
