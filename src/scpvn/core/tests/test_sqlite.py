"""SQLite's dates are read once per distinct text (`core/sqlite.py`)."""

import contextlib
import datetime as dt
import sqlite3

from scpvn.core.sqlite import read_date


def test_the_remembered_reading_is_the_one_sqlite_uses():
    """Django registers its own converter when its backend is imported; ours must win."""
    assert sqlite3.converters["DATE"] is read_date


def test_a_date_column_reads_as_dates_each_text_parsed_once():
    with contextlib.closing(
        sqlite3.connect(":memory:", detect_types=sqlite3.PARSE_DECLTYPES)
    ) as db:
        db.execute("CREATE TABLE t (day date)")
        db.executemany("INSERT INTO t VALUES (?)", [("2026-07-01",), ("2026-07-01",), (None,)])
        first, again, empty = (row[0] for row in db.execute("SELECT day FROM t ORDER BY rowid"))
    assert first == dt.date(2026, 7, 1) and first is again and empty is None
