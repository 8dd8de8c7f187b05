"""The event table partitioned by year of record time on PostgreSQL (`trace/partitions.py`):
an eventID still recorded once (error declarations aside) on both engines, rows of a year
without a partition moved into one made for it, and a query on record time reading only the
partitions of its years."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from scpvn.conftest import second_waits_on_first
from scpvn.trace.maintenance import after_bulk_load
from scpvn.trace.models import Capture, Event
from scpvn.trace.partitions import ensure_partitions, partition_name
from scpvn.trace.validation import EventError

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


def _default_index_pages() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('trace_event_default_capture_id_idx') / 8192")
        return cursor.fetchone()[0]


@on_postgresql
def test_a_default_partition_emptied_by_the_moves_keeps_no_dead_index_entries(capture):
    """The 10,000,000-event benchmark's finding: rows of eight years moved out of the DEFAULT
    partition left its indexes full of dead entries, and every query walked one of them
    (6,226 pages). Once every row has moved, the partition is truncated; the moved events
    keep their eventIDs' claims."""
    far = [dt.datetime(2045 + n % 2, 5, 1, tzinfo=dt.UTC) for n in range(2000)]
    Event.objects.bulk_create(
        Event(event_id=f"urn:uuid:m-{n}", event_type="ObjectEvent", event_time=when,
              event_time_zone_offset="+07:00", record_time=when, capture=capture, document={},
              epcs=[])
        for n, when in enumerate(far)
    )  # fmt: skip
    assert _default_index_pages() > 2
    with connection.cursor() as cursor:  # the load's foreign keys checked, as at its commit
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    after_bulk_load()
    assert _default_index_pages() <= 2  # the metapage and an empty root
    assert Event.objects.filter(record_time__year__in=[2045, 2046]).count() == 2000
    assert {
        _stored_in(e.pk)
        for e in Event.objects.filter(event_id__in=["urn:uuid:m-0", "urn:uuid:m-1"])
    } == {partition_name(2045), partition_name(2046)}
    with pytest.raises(IntegrityError), transaction.atomic():
        _event(capture, "urn:uuid:m-7", dt.datetime(2026, 3, 1, tzinfo=dt.UTC))


@on_postgresql
def test_a_load_spanning_years_makes_each_year_its_partition():
    from scpvn.trace.partitions import ensure_partitions_between

    made = ensure_partitions_between(
        dt.datetime(2047, 6, 1, tzinfo=dt.UTC), dt.datetime(2050, 2, 1, tzinfo=dt.UTC)
    )
    assert made == [partition_name(year) for year in range(2047, 2051)]


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


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_captures_of_one_event_at_once_refuse_the_second_clearly():
    """A capture names which eventID is already recorded (409) by asking after the
    database refused it, not before inserting: so the second of two captures of the same
    event, sent at once, is refused as clearly as a late one (asking first, it saw nothing
    while the first was uncommitted, and failed on the claim table as a server error)."""
    from scpvn.trace.capture import capture_document
    from scpvn.trace.tests.test_capture import document, good_event

    sent = document(good_event(eventID="urn:uuid:6a0f2d0c-0000-4000-8000-00000000a11e"))
    outcome = second_waits_on_first(
        lambda: capture_document(None, sent), lambda: capture_document(None, sent)
    )
    assert outcome["waited"]  # the second capture waits for the first's claim
    assert "first" not in outcome, outcome
    refusal = outcome["second"]  # not a server error: the failure this test looks for
    assert isinstance(refusal, EventError), refusal
    assert (
        refusal.status == 409 and refusal.event_id == sent["epcisBody"]["eventList"][0]["eventID"]
    )
    assert Event.objects.count() == 1 and Capture.objects.count() == 1
