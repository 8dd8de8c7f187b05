"""POST /epcis/capture: every standard example, every kind of bad input, rights, the queue."""

import copy
import json
from urllib.parse import quote

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from scpvn.trace.eventhash import event_hash_id
from scpvn.trace.models import Capture, Event, EventEPC
from scpvn.trace.repository import SYNC_LIMIT
from scpvn.trace.tests.factories import (
    GLN_FARM,
    GTIN,
    OTHER_GTIN,
    example_documents,
    location_for,
    product_for,
)

pytestmark = pytest.mark.django_db
EXAMPLES = example_documents()


def post(client, document, content_type="application/ld+json"):
    return client.post("/epcis/capture", json.dumps(document), content_type=content_type)


def good_event(**changes) -> dict:
    event = {
        "type": "ObjectEvent",
        "action": "ADD",
        "bizStep": "commissioning",
        "epcList": [f"https://id.gs1.org/01/{GTIN}/21/A1"],
        "eventTime": "2026-03-01T06:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "readPoint": {"id": f"https://id.gs1.org/414/{GLN_FARM}"},
    }
    event.update(changes)
    return event


def document(*events) -> dict:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-03-01T07:00:00+07:00",
        "epcisBody": {"eventList": list(events)},
    }


def test_the_examples_are_all_there():
    assert len(EXAMPLES) == 46


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_standard_example_captures_and_is_queryable(admin_api, path):
    doc = json.loads(path.read_text())
    response = admin_api.post(
        "/epcis/capture", path.read_bytes(), content_type="application/ld+json"
    )
    assert response.status_code == 202, response.content
    capture = Capture.objects.get()
    assert response["Location"] == f"/epcis/capture/{capture.pk}"
    status = admin_api.get(response["Location"]).json()
    assert status["running"] is False and status["success"] is True
    events = doc["epcisBody"]["eventList"]
    assert Event.objects.count() == len(events)
    for event in events:
        event_id = event.get("eventID") or event_hash_id(event, document=doc)
        found = admin_api.get("/epcis/events/" + quote(event_id, safe=""))
        assert found.status_code == 200, event_id
        returned = found.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        original = next(
            e for e in returned if e.get("errorDeclaration") == event.get("errorDeclaration")
        )
        assert original["type"] == event["type"] and original["eventTime"] == event["eventTime"]
    listed = admin_api.get("/epcis/events", {"perPage": 1000}).json()
    assert len(listed["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == len(events)


def test_event_without_id_gets_its_cbv_hash(admin_api):
    event = good_event()
    assert post(admin_api, document(event)).status_code == 202
    stored = Event.objects.get()
    assert stored.event_id == event_hash_id(event) and stored.event_id.startswith("ni:///sha-256;")
    assert stored.document["recordTime"]


def refused(response, status: int, field: str, index: int = 0) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["eventIndex"] == index and body["field"].startswith(field), body
    assert (
        Event.objects.count() == 0
        and EventEPC.objects.count() == 0
        and Capture.objects.count() == 0
    )
    return body


def test_schema_invalid_event_is_refused(admin_api):
    refused(post(admin_api, document(good_event(action="MAYBE"))), 400, "action")


def test_unknown_event_type_is_refused(admin_api):
    body = refused(post(admin_api, document(good_event(type="MagicEvent"))), 400, "type")
    assert "MagicEvent" in body["detail"]


def test_bad_check_digit_in_uri_is_refused(admin_api):
    event = good_event(
        epcList=["https://id.gs1.org/01/08930001001016/21/A1"], eventID="urn:uuid:x-1"
    )
    body = refused(post(admin_api, document(event)), 400, "epcList[0]")
    assert body["eventID"] == "urn:uuid:x-1" and "check digit" in body["detail"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"eventTime": "2026-02-30T06:00:00+07:00"}, "eventTime"),
        ({"eventTime": "2026-03-01T06:00:00"}, "eventTime"),
        ({"eventTimeZoneOffset": "+25:00"}, "eventTimeZoneOffset"),
    ],
)
def test_bad_dates_are_refused(admin_api, changes, field):
    refused(post(admin_api, document(good_event(**changes))), 400, field)


def test_one_bad_event_among_good_ones_stores_nothing(admin_api):
    events = [good_event(epcList=[f"https://id.gs1.org/01/{GTIN}/21/A{n}"]) for n in range(5)]
    events[3]["readPoint"] = {"id": "urn:epc:id:sgln:0614141.0734.1"}
    refused(post(admin_api, document(*events)), 400, "readPoint.id", index=3)


def test_duplicate_event_id_is_refused_clearly(admin_api):
    event = good_event(eventID="urn:uuid:6a0f2d0c-0000-4000-8000-000000000001")
    assert post(admin_api, document(event)).status_code == 202
    again = post(admin_api, document(good_event(eventID=event["eventID"], bizStep="shipping")))
    assert again.status_code == 409
    assert (
        again.json()["eventID"] == event["eventID"] and "errorDeclaration" in again.json()["detail"]
    )
    assert Event.objects.count() == 1 and Capture.objects.count() == 1


def test_a_repeat_inside_a_document_is_named_and_nothing_is_stored(admin_api):
    """The database's own rule refuses the repeat (the claim table on PostgreSQL); the
    refusal names it by its place in the document, and none of the others is kept."""
    recorded = good_event(eventID="urn:uuid:6a0f2d0c-0000-4000-8000-000000000002")
    assert post(admin_api, document(recorded)).status_code == 202
    events = [good_event(epcList=[f"https://id.gs1.org/01/{GTIN}/21/R{n}"]) for n in range(5)]
    events[2]["eventID"] = recorded["eventID"]
    response = post(admin_api, document(*events))
    assert response.status_code == 409, response.content
    body = response.json()
    assert (body["eventIndex"], body["field"], body["eventID"]) == (
        2,
        "eventID",
        recorded["eventID"],
    )
    assert Event.objects.count() == 1


def test_error_declaration_is_stored_and_marks_the_original(admin_api):
    event = good_event(eventID="urn:uuid:6a0f2d0c-0000-4000-8000-000000000002")
    post(admin_api, document(event))
    declaration = copy.deepcopy(event)
    declaration["errorDeclaration"] = {
        "declarationTime": "2026-03-02T08:00:00+07:00",
        "reason": "incorrect_data",
    }
    assert post(admin_api, document(declaration)).status_code == 202
    original, declared = Event.objects.order_by("pk")
    assert original.declared_in_error and declared.has_error_declaration
    both = admin_api.get("/epcis/events/" + event["eventID"]).json()
    assert len(both["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == 2


def test_not_json_and_wrong_content_type(admin_api):
    response = admin_api.post("/epcis/capture", b"{not json", content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert (
        admin_api.post("/epcis/capture", b"<xml/>", content_type="application/xml").status_code
        == 400  # the XML binding: not an EPCIS document (trace/tests/test_xml_binding.py)
    )
    assert admin_api.post("/epcis/capture", b"a,b", content_type="text/csv").status_code == 415
    assert Event.objects.count() == 0


def test_token_authentication_and_enterprise_scope(enterprise, enterprise_user):
    product_for(enterprise)
    location_for(enterprise)
    token = Token.objects.create(user=enterprise_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert post(client, document(good_event())).status_code == 202
    foreign = good_event(
        epcList=[f"https://id.gs1.org/01/{OTHER_GTIN}/21/B1"],
        readPoint={"id": "urn:epc:id:sgln:0614141.07346.0"},
    )
    response = post(client, document(foreign))
    assert response.status_code == 403 and response.json()["eventIndex"] == 0
    assert Event.objects.count() == 1


@pytest.mark.parametrize("role", ["reviewer", "district_officer"])
def test_read_only_roles_cannot_capture(users, role):
    client = APIClient()
    client.force_authenticate(users[role])
    assert post(client, document(good_event())).status_code == 403
    assert Event.objects.count() == 0


def test_anonymous_cannot_capture(db):
    assert post(APIClient(), document(good_event())).status_code in (401, 403)


@pytest.mark.django_db(transaction=True)
def test_large_document_goes_through_the_task_queue(admin_api):
    client = admin_api
    events = [
        good_event(epcList=[f"https://id.gs1.org/01/{GTIN}/21/S{n}"]) for n in range(SYNC_LIMIT + 1)
    ]
    response = post(client, document(*events))
    assert response.status_code == 202
    assert client.get(response["Location"]).json()["running"] is True
    assert Event.objects.count() == 0
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    status = client.get(response["Location"]).json()
    assert status["success"] is True and status["eventCount"] == SYNC_LIMIT + 1
    assert Event.objects.count() == SYNC_LIMIT + 1


def test_large_bad_document_is_refused_before_it_is_stored(admin_api):
    """A document over the synchronous limit used to be stored whole and checked by the
    worker; now it is checked at the door and nothing of it is kept."""
    events = [
        good_event(epcList=[f"https://id.gs1.org/01/{GTIN}/21/S{n}"]) for n in range(SYNC_LIMIT + 1)
    ]
    events[-1]["eventTime"] = "yesterday"
    refused(post(admin_api, document(*events)), 400, "eventTime", index=SYNC_LIMIT)


@pytest.mark.django_db(transaction=True)
def test_large_document_refused_by_the_worker_stores_nothing(admin_api):
    """What changed between the door and the worker (here an eventID recorded meanwhile)
    is checked again by the worker, and the refusal is recorded on the capture."""
    events = [
        good_event(eventID=f"urn:uuid:big-{n}", epcList=[f"https://id.gs1.org/01/{GTIN}/21/S{n}"])
        for n in range(SYNC_LIMIT + 1)
    ]
    response = post(admin_api, document(*events))
    assert response.status_code == 202
    assert post(admin_api, document(events[-1])).status_code == 202
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    status = admin_api.get(response["Location"]).json()
    assert status["success"] is False and status["errors"][0]["eventIndex"] == SYNC_LIMIT
    assert Event.objects.count() == 1


def test_signed_in_session_captures_with_csrf(enterprise, enterprise_user):
    """The README promises session or token: a browser session posts with its CSRF token."""
    from django.test import Client

    product_for(enterprise)
    location_for(enterprise)
    client = Client(enforce_csrf_checks=True)
    client.force_login(enterprise_user)
    without = post(client, document(good_event()))
    assert without.status_code == 403
    client.get("/accounts/login/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/epcis/capture",
        json.dumps(document(good_event())),
        content_type="application/ld+json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 202


def test_an_identifier_outside_gs1_keys_is_captured_and_queried(admin_api):
    """EPCIS allows urn:uuid: and private https identifiers: what capture accepts, MATCH_epc
    finds (the query once parsed only GS1 keys and refused them)."""
    private = "urn:uuid:1b3c9a2e-0000-4000-8000-00000000c0de"
    assert post(admin_api, document(good_event(epcList=[private]))).status_code == 202
    answer = admin_api.get("/epcis/events", {"MATCH_epc": private})
    events = answer.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert answer.status_code == 200 and [e["epcList"] for e in events] == [[private]]


# --- POST /epcis/events: one event, captured now --------------------------------------------


def post_event(client, event, content_type="application/ld+json"):
    return client.post("/epcis/events", json.dumps(event), content_type=content_type)


def single(**changes) -> dict:
    return {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]} | (
        good_event(**changes)
    )


def test_one_event_is_captured_and_found_where_location_says(admin_api):
    response = post_event(admin_api, single())
    assert response.status_code == 201, response.content
    assert response["GS1-EPCIS-Version"] == "2.0.0"
    stored = Event.objects.get()
    assert stored.event_id == event_hash_id(good_event())  # no eventID: the CBV hash ID
    assert response["Location"].startswith("/epcis/events/ni:///sha-256;")
    found = admin_api.get(response["Location"], HTTP_ACCEPT="application/json").json()
    assert [
        e["eventID"] for e in found["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    ] == [stored.event_id]
    assert EventEPC.objects.filter(event=stored, uri__endswith="/21/A1").exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b"{not json", 400, ""),
        (json.dumps(good_event()).encode(), 400, "@context"),  # a lone event names its context
        (json.dumps(document(good_event())).encode(), 400, "type"),  # a document: /capture
        (json.dumps(single(eventTime="2026-02-30T06:00:00+07:00")).encode(), 400, "eventTime"),
    ],
)
def test_a_bad_single_event_is_refused_clearly_and_stores_nothing(admin_api, body, status, field):
    response = admin_api.post("/epcis/events", body, content_type="application/json")
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json().get("field", "").startswith(field) and response.json()["code"]
    assert Event.objects.count() == 0 and Capture.objects.count() == 0


def test_a_single_event_follows_the_capture_rules(admin_api, enterprise, enterprise_user, users):
    """The same service as /epcis/capture: a repeated eventID (409), an enterprise user's
    scope (403), read-only roles and anonymous callers (403/401), XML (415)."""
    event = single(eventID="urn:uuid:6a0f2d0c-0000-4000-8000-0000000000e1")
    assert post_event(admin_api, event).status_code == 201
    assert post_event(admin_api, event).status_code == 409
    member = APIClient()
    member.force_authenticate(enterprise_user)
    foreign = single(epcList=[f"https://id.gs1.org/01/{OTHER_GTIN}/21/B1"])
    assert post_event(member, foreign).status_code == 403
    reviewer = APIClient()
    reviewer.force_authenticate(users["reviewer"])
    assert post_event(reviewer, single()).status_code == 403
    assert post_event(APIClient(), single()).status_code in (401, 403)
    assert post_event(admin_api, single(), content_type="application/xml").status_code == 415
    assert Event.objects.count() == 1


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_json_cannot_hold_are_refused(admin_api, number):
    """Python's JSON reader takes NaN and Infinity (and 1e400 as infinity); no JSON database
    column can hold them, so they are refused as bad input, not stored or failed on."""
    lot = f"https://id.gs1.org/01/{GTIN}/10/L1"
    text = json.dumps(document(good_event(quantityList=[{"epcClass": lot, "quantity": 1}])))
    raw = text.replace('"quantity": 1', f'"quantity": {number}').encode()
    response = admin_api.post("/epcis/capture", raw, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert number.lstrip("-") in response.json()["detail"]
    assert Event.objects.count() == 0 and Capture.objects.count() == 0
