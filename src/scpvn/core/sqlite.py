"""SQLite's reading of dates, remembered.

Django converts every `date` cell SQLite returns by a call per cell (decode, then parse).
A plan's indicators read one date per response, 44,000 at 200,000 answers, among a year's
366 days: the same text always makes the same date (immutable, so safely shared), so the
conversion is remembered. PostgreSQL's driver reads dates natively and is not concerned.
"""

import datetime as dt
import sqlite3
from functools import lru_cache

# Django's own converters are registered when its backend is imported; ours must come after
from django.db.backends.sqlite3 import base  # noqa: F401
from django.utils.dateparse import parse_date


@lru_cache(maxsize=4096)
def read_date(raw: bytes) -> dt.date | None:
    return parse_date(raw.decode())


def remember_dates() -> None:
    sqlite3.register_converter("date", read_date)
