"""The event table partitioned by year of record time on PostgreSQL (`trace/partitions.py`):
an eventID still recorded once (error declarations aside) on both engines, rows of a year
without a partition moved into one made for it, and a query on record time reading only the
partitions of its years."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from scpvn.trace.maintenance import after_bulk_load
from scpvn.trace.models import Capture, Event
from scpvn.trace.partitions import ensure_partitions, partition_name

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions: PostgreSQL"
)


def _event(capture: Capture, event_id: str, when: dt.datetime, **fields) -> Event:
    return Event.objects.create(
        event_id=event_id, event_type="ObjectEvent", event_time=when,
        event_time_zone_offset="+07:00", record_time=when, capture=capture, document={},
        epcs=["https://id.gs1.org/01/08930001001015/21/S1"], **fields,
    )  # fmt: skip


def _stored_in(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM trace_event WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def capture():
    return Capture.objects.create(state=Capture.State.SUCCESS)


def test_an_event_id_is_recorded_once_unless_declared_in_error(capture):
    """The database refuses a repeated eventID (the partial unique index on SQLite, the claim
    table on PostgreSQL), in another year's partition too, and lets an error declaration
    repeat it."""
    _event(capture, "urn:uuid:a", dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    with pytest.raises(IntegrityError), transaction.atomic():
        _event(capture, "urn:uuid:a", dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    _event(
        capture, "urn:uuid:a", dt.datetime(2027, 3, 1, tzinfo=dt.UTC), has_error_declaration=True
    )
    assert Event.objects.filter(event_id="urn:uuid:a").count() == 2


def test_a_deleted_event_releases_its_event_id(capture):
    when = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    _event(capture, "urn:uuid:b", when).delete()
    assert _event(capture, "urn:uuid:b", when).pk


@on_postgresql
def test_the_event_id_of_a_recorded_event_cannot_change(capture):
    event = _event(capture, "urn:uuid:c", dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(event_id="urn:uuid:d")
    Event.objects.filter(pk=event.pk).update(declared_in_error=True)  # the one change allowed
    _event(capture, "urn:uuid:d", dt.datetime(2026, 3, 1, tzinfo=dt.UTC))  # never claimed


@on_postgresql
def test_rows_of_a_year_without_partition_move_into_one_made_after_a_bulk_load(capture):
    far = dt.datetime(2041, 5, 1, tzinfo=dt.UTC)
    event = _event(capture, "urn:uuid:e", far)
    assert _stored_in(event.pk) == "trace_event_default"
    after_bulk_load()
    assert _stored_in(event.pk) == partition_name(2041)
    assert Event.objects.get(pk=event.pk).event_id == "urn:uuid:e"
    assert ensure_partitions(far) == []  # made once


@on_postgresql
def test_capture_makes_the_partition_of_its_year(capture, monkeypatch):
    """A capture in a year nobody made ahead writes into that year's new partition."""
    from scpvn.trace.capture import capture_document

    later = dt.datetime(2043, 2, 1, 8, tzinfo=dt.UTC)
    monkeypatch.setattr("scpvn.trace.repository.timezone.now", lambda: later)
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2043-02-01T08:00:00Z",
        "epcisBody": {"eventList": [{
            "type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2043-02-01T07:00:00Z",
            "eventTimeZoneOffset": "+07:00",
            "epcList": ["https://id.gs1.org/01/08930001001015/21/S9"],
        }]},
    }  # fmt: skip
    stored = capture_document(None, document)
    event = Event.objects.get(capture=stored)
    assert event.record_time == later
    assert _stored_in(event.pk) == partition_name(2043)


@on_postgresql
def test_a_record_time_window_reads_only_its_partition(capture):
    _event(capture, "urn:uuid:f", dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    ensure_partitions(dt.datetime(2044, 1, 1, tzinfo=dt.UTC))
    events = Event.objects.filter(
        record_time__gte=dt.datetime(2044, 3, 1, tzinfo=dt.UTC),
        record_time__lt=dt.datetime(2044, 4, 1, tzinfo=dt.UTC),
    )
    sql, params = events.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert partition_name(2044) in plan, plan
    assert partition_name(2026) not in plan and "trace_event_default" not in plan, plan
