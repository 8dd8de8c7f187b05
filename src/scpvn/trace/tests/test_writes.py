"""Issue 13, item 3: "one step back, one step forward". An enterprise writes only on its own
lots, or on lots a recorded shipping event sent to one of its places (then only there and
afterwards); nobody writes against a lot's chronology. Same rule through the simple form,
the CSV and EPCIS capture. Item 7: capture limits checked before anything is stored."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from scpvn.orgs.models import User
from scpvn.orgs.roles import Role
from scpvn.trace.errors import CaptureRefused, TraceErrorCode
from scpvn.trace.models import Capture, Event, Location, Lot
from scpvn.trace.simple_events import SimpleEvent, record_simple_events
from scpvn.trace.tests.factories import (
    GLN_FARM,
    GLN_MARKET,
    GTIN,
    OTHER_GTIN,
    location_for,
    lot_for,
    other_enterprise,
    product_for,
)

pytestmark = pytest.mark.django_db

GLN_RIVAL_FARM = "8930001000025"
PORK_HARVEST = timezone.make_aware(dt.datetime(2026, 3, 10, 6, 0))


@pytest.fixture
def rival_lot() -> Lot:
    """A competitor's pork lot, harvested at its own farm on 10 March."""
    rival = other_enterprise()
    lot = lot_for(product_for(rival, OTHER_GTIN, "Thịt lợn"), "P1")
    farm = location_for(rival, GLN_RIVAL_FARM, "Trại lợn")
    record_simple_events([SimpleEvent("harvest", lot, farm, PORK_HARVEST, Decimal(500))], None)
    return lot


@pytest.fixture
def own_farm(enterprise) -> Location:
    product_for(enterprise)
    return location_for(enterprise)


@pytest.fixture
def api(enterprise_user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=enterprise_user).key}")
    return client


def event(lot_uri: str, gln: str, when: str, **fields) -> dict:
    return {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "quantityList": [{"epcClass": lot_uri}],
        "eventTime": when,
        "eventTimeZoneOffset": "+07:00",
        "readPoint": {"id": f"https://id.gs1.org/414/{gln}"},
        "bizLocation": {"id": f"https://id.gs1.org/414/{gln}"},
        **fields,
    }


def capture(client, *events):
    body = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-03-20T07:00:00+07:00",
        "epcisBody": {"eventList": list(events)},
    }
    return client.post("/epcis/capture", json.dumps(body), content_type="application/ld+json")


def refused(response, status: int, code: TraceErrorCode, events_before: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["eventIndex"] == 0, body
    assert Event.objects.count() == events_before
    return body


def offered_lots(client) -> set[Lot]:
    form = client.get("/trace/record/").context["form"]
    return set(form.fields["lot"].queryset)


# --- the probes of the issue -----------------------------------------------------------


def test_form_does_not_offer_a_competitors_lot(
    client, enterprise_user, enterprise, own_farm, rival_lot
):
    """Probe: an enterprise picks another company's lot in /trace/record/ and records a
    harvest at its own farm, dated before the lot existed."""
    own = lot_for(product_for(enterprise), "MINE")
    client.force_login(enterprise_user)
    offered = offered_lots(client)
    assert own in offered and rival_lot not in offered
    response = client.post(
        "/trace/record/",
        {
            "step": "harvest",
            "lot": rival_lot.pk,
            "location": own_farm.pk,
            "when": "2026-03-01T06:00",
        },
    )
    assert response.status_code == 200 and Event.objects.count() == 1


def test_service_refuses_a_harvest_on_a_competitors_lot(enterprise_user, own_farm, rival_lot):
    """The same probe past the form (CSV and every other caller reach this service)."""
    early = PORK_HARVEST - dt.timedelta(days=9)
    with pytest.raises(CaptureRefused) as refusal:
        record_simple_events([SimpleEvent("harvest", rival_lot, own_farm, early)], enterprise_user)
    assert refusal.value.code == TraceErrorCode.LOT_OUT_OF_SCOPE and refusal.value.status == 403
    assert Event.objects.count() == 1 and Capture.objects.count() == 1


def test_epcis_refuses_a_harvest_on_a_competitors_lot(api, own_farm, rival_lot):
    harvest = event(rival_lot.uri, GLN_FARM, "2026-03-01T06:00:00+07:00", action="ADD",
                    bizStep="commissioning")  # fmt: skip
    refused(capture(api, harvest), 403, TraceErrorCode.LOT_OUT_OF_SCOPE, 1)


@pytest.mark.parametrize(
    "fields",
    [{"bizStep": "destroying", "disposition": "destroyed"}, {"disposition": "recalled"}],
    ids=["destroying", "recalled"],
)
def test_naming_its_own_gln_is_not_enough_on_a_competitors_gtin(api, own_farm, rival_lot, fields):
    """Probe: an event on a competitor's GTIN that names the enterprise's own GLN."""
    bad = event(rival_lot.uri, GLN_FARM, "2026-03-12T06:00:00+07:00", **fields)
    refused(capture(api, bad), 403, TraceErrorCode.LOT_OUT_OF_SCOPE, 1)
    whole_gtin = event(f"https://id.gs1.org/01/{OTHER_GTIN}", GLN_FARM, "2026-03-12T06:00:00+07:00",
                       **fields)  # fmt: skip
    refused(capture(api, whole_gtin), 403, TraceErrorCode.LOT_OUT_OF_SCOPE, 1)


# --- one step forward: a lot shipped to the enterprise --------------------------------


@pytest.fixture
def shipped_to_us(own_farm, rival_lot) -> Lot:
    """The competitor ships its lot to the enterprise's place on 11 March at 06:00."""
    rival_farm = Location.objects.get(gln=GLN_RIVAL_FARM)
    when = PORK_HARVEST + dt.timedelta(days=1)
    record_simple_events(
        [SimpleEvent("shipping", rival_lot, rival_farm, when, destination=own_farm)], None
    )
    return rival_lot


def test_receiver_records_receiving_and_its_own_later_steps(
    api, client, enterprise_user, shipped_to_us
):
    client.force_login(enterprise_user)
    assert shipped_to_us in offered_lots(client)
    receiving = event(shipped_to_us.uri, GLN_FARM, "2026-03-11T09:00:00+07:00", bizStep="receiving")
    sale = event(shipped_to_us.uri, GLN_FARM, "2026-03-12T09:00:00+07:00", bizStep="retail_selling")
    assert capture(api, receiving, sale).status_code == 202
    assert Event.objects.count() == 4


def test_receiver_may_not_record_before_the_shipping(api, shipped_to_us):
    early = event(shipped_to_us.uri, GLN_FARM, "2026-03-10T09:00:00+07:00", bizStep="receiving")
    refused(capture(api, early), 409, TraceErrorCode.BEFORE_PREVIOUS_STEP, 2)


def test_receiver_may_not_record_at_someone_elses_place(api, shipped_to_us):
    elsewhere = event(shipped_to_us.uri, GLN_RIVAL_FARM, "2026-03-12T09:00:00+07:00",
                      bizStep="retail_selling")  # fmt: skip
    refused(capture(api, elsewhere), 403, TraceErrorCode.LOCATION_OUT_OF_SCOPE, 2)


def test_a_shipment_to_someone_else_opens_nothing(api, own_farm, rival_lot):
    market = location_for(other_enterprise(), GLN_MARKET, "Chợ")
    rival_farm = Location.objects.get(gln=GLN_RIVAL_FARM)
    when = PORK_HARVEST + dt.timedelta(days=1)
    record_simple_events(
        [SimpleEvent("shipping", rival_lot, rival_farm, when, destination=market)], None
    )
    receiving = event(rival_lot.uri, GLN_FARM, "2026-03-11T09:00:00+07:00", bizStep="receiving")
    refused(capture(api, receiving), 403, TraceErrorCode.LOT_OUT_OF_SCOPE, 2)


def test_an_event_with_no_goods_of_its_own_must_be_at_its_place(api, own_farm):
    sscc = {"type": "ObjectEvent", "action": "OBSERVE", "epcList": ["urn:epc:id:sscc:0614141.1234567890"],
            "eventTime": "2026-03-12T09:00:00+07:00", "eventTimeZoneOffset": "+07:00",
            "readPoint": {"id": f"https://id.gs1.org/414/{GLN_RIVAL_FARM}"}}  # fmt: skip
    refused(capture(api, sscc), 403, TraceErrorCode.LOCATION_OUT_OF_SCOPE, 0)
    sscc["readPoint"] = {"id": f"https://id.gs1.org/414/{GLN_FARM}"}
    assert capture(api, sscc).status_code == 202


# --- the lot's chronology, for every actor ---------------------------------------------


def test_no_harvest_before_the_lot_existed(admin_api, rival_lot):
    """Even the city administrator may not prepend a harvest to a recorded lot."""
    early = event(rival_lot.uri, GLN_RIVAL_FARM, "2026-03-01T06:00:00+07:00", action="ADD",
                  bizStep="commissioning")  # fmt: skip
    refused(capture(admin_api, early), 409, TraceErrorCode.BEFORE_LOT_EXISTED, 1)
    before = event(rival_lot.uri, GLN_RIVAL_FARM, "2026-03-09T06:00:00+07:00", bizStep="shipping")
    refused(capture(admin_api, before), 409, TraceErrorCode.BEFORE_LOT_EXISTED, 1)
    later = event(rival_lot.uri, GLN_RIVAL_FARM, "2026-03-11T06:00:00+07:00", action="ADD",
                  bizStep="commissioning")  # fmt: skip
    assert capture(admin_api, later).status_code == 202


def test_nothing_after_destroying(admin_api, rival_lot):
    destroy = event(rival_lot.uri, GLN_RIVAL_FARM, "2026-03-11T06:00:00+07:00",
                    bizStep="destroying", disposition="destroyed")  # fmt: skip
    assert capture(admin_api, destroy).status_code == 202
    after = event(rival_lot.uri, GLN_RIVAL_FARM, "2026-03-12T06:00:00+07:00", bizStep="shipping")
    refused(capture(admin_api, after), 409, TraceErrorCode.AFTER_DESTROYING, 2)


def test_nothing_after_destroying_a_lot_never_commissioned_here(admin_api, enterprise):
    """A lot whose commissioning was never captured here (brought in with its first
    observation) is still closed by its destroying: that moment alone makes it checked."""
    lot = lot_for(product_for(enterprise), "N1")
    location_for(enterprise)
    destroy = event(lot.uri, GLN_FARM, "2026-03-11T06:00:00+07:00",
                    bizStep="destroying", disposition="destroyed")  # fmt: skip
    assert capture(admin_api, destroy).status_code == 202
    after = event(lot.uri, GLN_FARM, "2026-03-12T06:00:00+07:00", bizStep="shipping")
    refused(capture(admin_api, after), 409, TraceErrorCode.AFTER_DESTROYING, 1)


def test_a_document_is_checked_against_itself(admin_api, enterprise):
    """A receiving dated before the shipping it follows, in the same document."""
    lot = lot_for(product_for(enterprise), "D1")
    location_for(enterprise)
    market = location_for(other_enterprise(), GLN_MARKET, "Chợ")
    ship = event(lot.uri, GLN_FARM, "2026-03-05T10:00:00+07:00", bizStep="shipping",
                 destinationList=[{"type": "location", "destination": market.uri}])  # fmt: skip
    receive = event(lot.uri, GLN_MARKET, "2026-03-05T08:00:00+07:00", bizStep="receiving")
    response = capture(admin_api, receive, ship)
    body = refused(response, 409, TraceErrorCode.BEFORE_PREVIOUS_STEP, 0)
    assert body["field"] == "eventTime"
    receive["eventTime"] = "2026-03-05T12:00:00+07:00"
    assert capture(admin_api, receive, ship).status_code == 202


def test_an_error_declaration_is_not_a_new_step(admin_api, rival_lot):
    """A correction repeats the event it declares in error, dated as that event was."""
    harvest = Event.objects.get()
    declaration = dict(harvest.document)
    declaration.pop("recordTime")
    declaration["errorDeclaration"] = {"declarationTime": "2026-03-20T08:00:00+07:00"}
    assert capture(admin_api, declaration).status_code == 202


def test_resending_a_competitors_event_is_refused_for_scope_not_as_a_repeat(
    api, own_farm, rival_lot
):
    """Capture checks the actor's rights once the events are in the database (they are
    stored while being read); a repeated eventID found there must not answer first, or an
    enterprise could learn which eventIDs its competitors have recorded."""
    resent = dict(Event.objects.get().document)
    resent.pop("recordTime")
    body = refused(capture(api, resent), 403, TraceErrorCode.LOT_OUT_OF_SCOPE, 1)
    assert "errorDeclaration" not in body["detail"]


def test_a_refused_document_leaves_the_next_capture_working(api, own_farm, rival_lot):
    """A document refused half-way through being stored (a bad event after good ones, or
    the actor's rules after all of them) stores nothing and leaves the connection usable."""
    lot_uri = f"https://id.gs1.org/01/{GTIN}/10/Q"
    good = [event(lot_uri, GLN_FARM, f"2026-03-0{n + 1}T06:00:00+07:00") for n in range(3)]
    bad = event(
        lot_uri,
        GLN_FARM,
        "2026-03-05T06:00:00+07:00",
        readPoint={"id": "urn:epc:id:sgln:0614141.0734.1"},
    )
    response = capture(api, *good, bad)
    assert response.status_code == 400 and response.json()["eventIndex"] == 3, response.content
    theirs = event(rival_lot.uri, GLN_FARM, "2026-03-12T06:00:00+07:00")
    response = capture(api, *good, theirs)
    assert response.status_code == 403 and response.json()["eventIndex"] == 3, response.content
    assert Event.objects.count() == 1
    assert capture(api, *good).status_code == 202
    assert Event.objects.count() == 4 and Capture.objects.count() == 2


# --- capture limits ---------------------------------------------------------------------


def test_a_document_over_the_event_limit_is_refused_before_it_is_stored(api, own_farm, settings):
    settings.SCPVN_EPCIS_MAX_EVENTS = 3
    lot_uri = f"https://id.gs1.org/01/{GTIN}/10/Q"
    events = [event(lot_uri, GLN_FARM, f"2026-03-0{n + 1}T06:00:00+07:00") for n in range(4)]
    response = capture(api, *events)
    assert (
        response.status_code == 413 and response.json()["code"] == TraceErrorCode.CAPTURE_TOO_LARGE
    )
    assert not Capture.objects.exists() and not Event.objects.exists()


def test_daily_quota_is_shared_by_the_enterprise(api, enterprise, own_farm, settings, admin_api):
    settings.SCPVN_EPCIS_DAILY_EVENTS = 3
    lot_uri = f"https://id.gs1.org/01/{GTIN}/10/Q"
    one, two = (event(lot_uri, GLN_FARM, f"2026-03-0{n}T06:00:00+07:00") for n in (1, 2))
    assert capture(api, one, two).status_code == 202
    colleague = User.objects.create(username="trace-colleague", role=Role.ENTERPRISE_USER)
    enterprise.members.add(colleague)
    other = APIClient()
    other.force_authenticate(colleague)
    response = capture(other, one | {"eventTime": "2026-03-03T06:00:00+07:00"},
                       two | {"eventTime": "2026-03-04T06:00:00+07:00"})  # fmt: skip
    assert response.status_code == 429 and response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == TraceErrorCode.CAPTURE_QUOTA_EXCEEDED
    assert 0 < int(response["Retry-After"]) <= 86400
    assert Capture.objects.count() == 1 and Event.objects.count() == 2
    assert capture(other, one | {"eventTime": "2026-03-03T06:00:00+07:00"}).status_code == 202
    assert capture(admin_api, one | {"eventTime": "2026-03-05T06:00:00+07:00"}).status_code == 202
