"""GET /epcis/events and the top-level resources: standard parameters, paging, scoping."""

import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from rest_framework.test import APIClient

from scpvn.trace.tests.factories import (
    EPCIS_STANDARDS,
    GLN_MARKET,
    GTIN,
    harvested_lot,
    other_enterprise,
)

pytestmark = pytest.mark.django_db


def event_list(response) -> list[dict]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"] == "EPCISQueryDocument"
    return body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


@pytest.fixture
def loaded(admin_api):
    """Two standard examples with varied fields."""
    for name in ("Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.4-TransformationEvent.jsonld",
                 "Example_9.6.3-AggregationEvent.jsonld"):  # fmt: skip
        response = admin_api.post(
            "/epcis/capture",
            (EPCIS_STANDARDS / "examples" / name).read_bytes(),
            content_type="application/ld+json",
        )
        assert response.status_code == 202
    return admin_api


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, 4),
        ({"eventType": "ObjectEvent"}, 2),
        ({"eventType": "ObjectEvent,AggregationEvent"}, 3),
        ({"EQ_bizStep": "shipping"}, 1),
        ({"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-receiving"}, 2),
        ({"EQ_bizStep": "urn:epcglobal:cbv:bizstep:receiving"}, 2),
        ({"EQ_disposition": "in_transit"}, 1),
        ({"EQ_action": "OBSERVE"}, 3),
        ({"GE_eventTime": "2005-04-05T00:00:00Z"}, 3),
        ({"LT_eventTime": "2005-04-05T00:00:00Z"}, 1),
        (
            {
                "GE_eventTime": "2005-04-04T00:00:00+07:00",
                "LT_eventTime": "2005-04-04T12:00:00+07:00",
            },
            1,
        ),
        ({"GE_recordTime": "2000-01-01T00:00:00Z"}, 4),
        ({"LT_recordTime": "2000-01-01T00:00:00Z"}, 0),
        ({"EQ_readPoint": "urn:epc:id:sgln:0614141.07346.1234"}, 1),
        ({"EQ_bizLocation": "urn:epc:id:sgln:0012345.11111.0"}, 1),
        ({"EQ_bizLocation": "https://id.gs1.org/414/0012345111112"}, 1),
        ({"MATCH_epc": "urn:epc:id:sgtin:0614141.107346.2018"}, 3),
        ({"MATCH_epc": "https://id.gs1.org/01/10614141073464/21/2018"}, 3),
        ({"MATCH_epc": "urn:epc:idpat:sgtin:0614141.107346.*"}, 3),
        ({"MATCH_anyEPC": "urn:epc:id:sgtin:4012345.011122.25"}, 1),
        ({"MATCH_inputEPC": "urn:epc:id:sgtin:4012345.011122.25"}, 1),
        ({"MATCH_outputEPC": "urn:epc:id:sgtin:4012345.011122.25"}, 0),
        ({"MATCH_outputEPC": "urn:epc:id:sgtin:4012345.077889.27"}, 1),
        ({"MATCH_parentID": "urn:epc:id:sscc:0614141.1234567890"}, 1),
        ({"MATCH_epcClass": "urn:epc:class:lgtin:4012345.012345.998877"}, 1),
        ({"MATCH_inputEPCClass": "urn:epc:class:lgtin:4012345.011111.4444"}, 1),
        ({"MATCH_anyEPCClass": "urn:epc:class:lgtin:4012345.011111.4444"}, 1),
    ],
)
def test_standard_query_parameters(loaded, params, count):
    assert len(event_list(loaded.get("/epcis/events", params))) == count


@pytest.mark.parametrize(
    "params",
    [
        {"EQ_colour": "red"},
        {"GE_eventTime": "yesterday"},
        {"MATCH_epc": "urn:epc:id:sgtin:1.2.3"},
        {"perPage": "0"},
    ],
)
def test_bad_query_parameters_answer_problem(loaded, params):
    response = loaded.get("/epcis/events", params)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"


def test_paging_with_next_page_token_in_link_header(loaded):
    seen, url, pages = [], "/epcis/events?perPage=3", 0
    while url:
        response = loaded.get(url)
        seen += [e["eventTime"] for e in event_list(response)]
        pages += 1
        link = response.get("Link", "")
        if link:
            assert link.endswith('rel="next"')
            target = urlsplit(link[1 : link.index(">")])
            assert "nextPageToken" in parse_qs(target.query)
            url = f"{target.path}?{target.query}"
        else:
            url = ""
    assert pages == 2 and len(seen) == 4 and len(set(seen)) == 4


def test_event_by_url_encoded_id(loaded):
    event_id = (
        "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0"
    )
    events = event_list(loaded.get("/epcis/events/" + quote(event_id, safe="")))
    assert [e["eventID"] for e in events] == [event_id]
    assert loaded.get("/epcis/events/" + quote("urn:uuid:nothing", safe="")).status_code == 404


def test_top_level_resources(loaded):
    assert "TransformationEvent" in loaded.get("/epcis/eventTypes").json()["member"]
    assert set(loaded.get("/epcis/bizSteps").json()["member"]) >= {"shipping", "receiving"}
    assert (
        "https://id.gs1.org/414/0012345111112" in loaded.get("/epcis/bizLocations").json()["member"]
    )
    assert len(event_list(loaded.get("/epcis/bizSteps/shipping/events"))) == 1
    assert len(event_list(loaded.get("/epcis/eventTypes/ObjectEvent/events"))) == 2
    epc = quote("urn:epc:id:sgtin:0614141.107346.2018", safe="")
    assert len(event_list(loaded.get(f"/epcis/epcs/{epc}/events"))) == 3
    location = quote("urn:epc:id:sgln:0012345.11111.0", safe="")
    assert len(event_list(loaded.get(f"/epcis/bizLocations/{location}/events"))) == 1


def test_responses_carry_the_document_contexts(loaded):
    body = loaded.get("/epcis/events").json()
    assert {"example": "http://ns.example.com/epcis/"} in body["@context"]
    assert json.dumps(body)  # serialisable as sent


def test_enterprise_users_see_only_their_events(enterprise, enterprise_user):
    from scpvn.orgs.models import User
    from scpvn.orgs.roles import Role

    harvested_lot(enterprise)
    client = APIClient()
    client.force_authenticate(enterprise_user)
    assert len(event_list(client.get("/epcis/events"))) == 3
    # A district officer where the market is sees the events at or bound for the market's GLN.
    market_user = User.objects.create(
        username="long-bien", role=Role.DISTRICT_OFFICER, district=other_enterprise().district
    )
    officer = APIClient()
    officer.force_authenticate(market_user)
    events = event_list(officer.get("/epcis/events"))
    assert {e["bizStep"] for e in events} == {"shipping", "receiving"}
    assert all(GTIN in json.dumps(e) for e in events) and GLN_MARKET in json.dumps(events)
