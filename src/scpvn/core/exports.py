"""Values going out in CSV and XLSX files are inert.

A spreadsheet opens a cell starting with `=`, `+`, `-`, `@`, tab or carriage return as a
formula, so user text such as `=HYPERLINK(…)` would become a live link or worse in the
reader's Excel (OWASP "CSV injection"). Every export passes its values through here; such a
text gets a leading `'`, which shows the text as typed. Numbers and dates are left alone.
"""

from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """`value` with a leading `'` when it is a text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


def safe_record(record: Mapping[str, Any]) -> dict[str, Any]:
    return {key: neutralise(value) for key, value in record.items()}
