"""After a bulk load on PostgreSQL, `after_bulk_load` leaves the GIN index on the events'
identifiers with an empty pending list (a manual ANALYZE would not) and the planner with
statistics that count the new rows."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from scpvn.trace.maintenance import after_bulk_load
from scpvn.trace.models import Capture, Event

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN and ANALYZE: PostgreSQL"),
]


def _pending_pages() -> int:
    """Pages in the pending lists of the GIN index, one index per partition of the events."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum((pgstatginindex(inhrelid)).pending_pages), 0) FROM pg_inherits "
            "WHERE inhparent = 'trace_event_epcs_gin'::regclass"
        )
        return cursor.fetchone()[0]


def test_after_bulk_load_merges_the_gin_pending_list_and_analyzes():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
    except DatabaseError as exc:  # contrib not installed: nothing to look with
        pytest.skip(f"pgstattuple unavailable: {exc}")
    capture = Capture.objects.create(state=Capture.State.SUCCESS)
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    Event.objects.bulk_create(
        Event(
            event_id=f"urn:uuid:00000000-0000-4000-8000-{i:012d}", event_type="ObjectEvent",
            event_time=when, event_time_zone_offset="+07:00", record_time=when, capture=capture,
            document={}, epcs=[f"https://id.gs1.org/01/08930001001015/21/S{i}"],
        )
        for i in range(2000)
    )  # fmt: skip
    assert _pending_pages() > 0  # fastupdate: the new entries wait, unsorted, in the list
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE trace_event")
    assert _pending_pages() > 0  # a manual ANALYZE leaves them there
    after_bulk_load()
    assert _pending_pages() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'trace_event'")
        assert cursor.fetchone()[0] == 2000
