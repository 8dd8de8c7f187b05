"""Single events sent at the same time are captured together (`trace/batching.py`): fewer
captures, each request answered for its own event, and a bad event refused on its own."""

import copy
import json
import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from scpvn.trace.batching import Ticket, store_batch
from scpvn.trace.errors import CaptureRefused
from scpvn.trace.eventhash import event_hash_id
from scpvn.trace.models import Capture, Event
from scpvn.trace.tests.factories import GTIN, OTHER_GTIN
from scpvn.trace.tests.test_capture import good_event, post_event, single
from scpvn.trace.validation import EventError, read_single_event


def ticket(actor, serial: str, **changes) -> Ticket:
    event = single(epcList=[f"https://id.gs1.org/01/{GTIN}/21/{serial}"], **changes)
    return Ticket(actor, read_single_event(json.dumps(event).encode()))


@pytest.mark.django_db
def test_a_batch_is_one_capture_and_each_event_keeps_its_own_id(city_admin):
    tickets = [ticket(city_admin, f"B{n}") for n in range(3)]
    alone = [
        event_hash_id(copy.deepcopy(t.event), document=copy.deepcopy(t.document)) for t in tickets
    ]
    store_batch(tickets)
    assert [t.error for t in tickets] == [None] * 3
    assert [t.event_id for t in tickets] == alone  # as if each had been captured alone
    capture = Capture.objects.get()
    assert capture.event_count == 3 and capture.user == city_admin
    assert sorted(Event.objects.values_list("event_id", flat=True)) == sorted(alone)


@pytest.mark.django_db
def test_a_bad_event_in_a_batch_is_refused_alone_and_the_others_are_stored(city_admin):
    recorded = ticket(city_admin, "R1", eventID="urn:uuid:6a0f2d0c-0000-4000-8000-0000000000b1")
    store_batch([recorded])
    first, bad, repeated, last = (
        ticket(city_admin, "G1"),
        ticket(city_admin, "X1", eventTime="2026-02-30T06:00:00+07:00"),
        ticket(city_admin, "R1", eventID="urn:uuid:6a0f2d0c-0000-4000-8000-0000000000b1"),
        ticket(city_admin, "G2"),
    )
    store_batch([first, bad, repeated, last])
    assert isinstance(bad.error, EventError) and bad.error.status == 400
    assert bad.error.field == "eventTime"
    assert isinstance(repeated.error, EventError) and repeated.error.status == 409
    assert first.error is None and last.error is None
    stored = set(Event.objects.values_list("event_id", flat=True))
    assert {first.event_id, last.event_id} < stored and len(stored) == 3


@pytest.mark.django_db
def test_each_user_is_batched_under_their_own_rights(city_admin, enterprise, enterprise_user):
    """An enterprise user's event on another enterprise's lot is refused (403) for that user
    only; the city administrator's events in the same batch are stored."""
    mine = ticket(city_admin, "C1")
    foreign = Ticket(
        enterprise_user,
        read_single_event(
            json.dumps(single(epcList=[f"https://id.gs1.org/01/{OTHER_GTIN}/21/F1"])).encode()
        ),
    )
    also_mine = ticket(city_admin, "C2")
    store_batch([mine, foreign, also_mine])
    assert isinstance(foreign.error, CaptureRefused) and foreign.error.status == 403
    assert mine.error is None and also_mine.error is None
    assert Capture.objects.get().event_count == 2  # the administrator's two, as one capture


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_time_share_captures(city_admin):
    """Twelve clients post five events each at once through POST /epcis/events: every
    request gets 201 and the Location of its own event, and the events were stored in fewer
    captures than requests (one capture each before batching)."""
    clients, per_client = 12, 5
    start = threading.Barrier(clients)
    answers: dict[int, list] = {}
    failures: list[BaseException] = []

    def client_thread(n: int) -> None:
        api = APIClient()
        api.force_authenticate(city_admin)
        try:
            start.wait()
            answers[n] = [
                post_event(api, single(epcList=[f"https://id.gs1.org/01/{GTIN}/21/T{n}-{k}"]))
                for k in range(per_client)
            ]
        except BaseException as error:  # reported by the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=client_thread, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    responses = [response for n in range(clients) for response in answers[n]]
    assert [r.status_code for r in responses] == [201] * clients * per_client
    locations = {r["Location"] for r in responses}
    assert len(locations) == clients * per_client
    stored = {
        reverse("trace:event-detail", kwargs={"event_id": event_id})
        for event_id in Event.objects.values_list("event_id", flat=True)
    }
    assert locations == stored
    assert Capture.objects.count() < clients * per_client
    assert sum(Capture.objects.values_list("event_count", flat=True)) == clients * per_client


@pytest.mark.django_db
def test_a_lone_event_is_refused_as_before(admin_api):
    """No batch to share: the refusal is the lone capture's own (schema, field, status)."""
    response = post_event(admin_api, good_event())  # no @context
    assert response.status_code == 400 and response.json()["field"] == "@context"


@pytest.mark.django_db
def test_an_event_not_stored_is_never_answered_as_stored(city_admin, monkeypatch):
    """If storing a batch stops before an event was stored (a bug, the worker shutting
    down), its request fails instead of answering 201 with the Location of nothing."""
    from scpvn.trace import batching

    monkeypatch.setattr(batching, "store_batch", lambda tickets: None)
    lone = ticket(city_admin, "N1")
    with pytest.raises(RuntimeError):
        batching.SingleEventBatcher().capture(city_admin, lone.document)
    assert Event.objects.count() == 0
