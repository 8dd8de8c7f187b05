"""Capture of master data in a document's header: all or nothing, problems that name the
element, the latest capture winning attribute by attribute, and the enterprise's scope.
GS1's example 9.8.1 (`standards/masterdata/`) and GS1's example 9.6.2 are the documents."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from scpvn.orgs.models import User
from scpvn.orgs.roles import Role
from scpvn.trace.models import Capture, Event, VocabularyChild, VocabularyElement
from scpvn.trace.repository import store_document
from scpvn.trace.tests.factories import EPCIS_STANDARDS, GLN_FARM, location_for
from scpvn.trace.tests.test_masterdata import GS1_MASTER_DATA, master_document

pytestmark = pytest.mark.django_db


def test_a_bad_element_refuses_the_whole_document_and_names_it():
    event = json.loads((EPCIS_STANDARDS / "examples/Example_9.6.2-ObjectEvent.jsonld").read_text())
    document = master_document(
        [
            {
                "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
                "vocabularyElementList": [
                    {"id": "urn:epc:id:sgln:0614141.00888.0", "children": []},
                    {
                        "id": "urn:epc:id:sgln:0614141.00777.0",
                        "children": ["https://id.gs1.org/414/0614141007771"],
                    },
                ],
            }
        ]
    )
    document["epcisBody"] = event["epcisBody"]
    client = APIClient()
    client.force_authenticate(User.objects.create(username="officer", role=Role.CITY_ADMIN))
    response = client.post(reverse("trace:capture"), document, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == (
        "epcisHeader.epcisMasterData.vocabularyList[0].vocabularyElementList[1].children[0]"
    )
    assert "urn:epc:id:sgln:0614141.00777.0" in body["detail"]
    assert not Event.objects.exists() and not VocabularyElement.objects.exists()


def test_a_master_data_document_is_captured_through_the_api():
    client = APIClient()
    client.force_authenticate(User.objects.create(username="officer", role=Role.CITY_ADMIN))
    response = client.post(
        reverse("trace:capture"), json.loads(GS1_MASTER_DATA.read_text()), format="json"
    )
    assert response.status_code in (201, 202), response.content
    assert VocabularyElement.objects.count() == 7
    assert VocabularyChild.objects.filter(parent__uri__endswith="/414/0037000007296").count() == 3


def test_the_latest_capture_wins_attribute_by_attribute():
    store_document(
        json.loads(GS1_MASTER_DATA.read_text()), Capture.objects.create(), lambda parsed: None
    )
    update = master_document(
        [
            {
                "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
                "vocabularyElementList": [
                    {
                        "id": "urn:epc:id:sgln:0037000.00729.8203",
                        "attributes": [{"id": "cbvmda:sst", "attribute": "299"}],
                    },
                    {
                        "id": "urn:epc:id:sgln:0037000.00729.8202",
                        "children": ["urn:epc:id:sgln:0037000.00729.8201"],
                    },
                ],
            }
        ]
    )
    store_document(update, Capture.objects.create(), lambda parsed: None)
    place = VocabularyElement.objects.get(
        vtype="urn:epcglobal:epcis:vtype:BusinessLocation", uri__endswith="/254/8203"
    )
    values = {a.name.rpartition(":")[2]: a.text for a in place.attributes.all()}
    assert values == {"sst": "299", "ssa": "402"}  # sst replaced, ssa kept
    middle = VocabularyElement.objects.get(
        vtype="urn:epcglobal:epcis:vtype:BusinessLocation", uri__endswith="/254/8202"
    )
    assert [c.uri for c in middle.children.all()] == [
        "https://id.gs1.org/414/0037000007296/254/8201"
    ]
    assert middle.attributes.get().text == "202"  # not named by the update: kept


def test_an_enterprise_describes_only_its_own_places(enterprise, enterprise_user):
    location_for(enterprise, gln=GLN_FARM)
    client = APIClient()
    client.force_authenticate(enterprise_user)

    def send(gln: str):
        element = {"id": f"https://id.gs1.org/414/{gln}", "attributes": []}
        vocabulary = {"type": "urn:epcglobal:epcis:vtype:BusinessLocation"}
        document = master_document([{**vocabulary, "vocabularyElementList": [element]}])
        return client.post(reverse("trace:capture"), document, format="json")

    refused = send("0614141008889")
    assert refused.status_code == 403, refused.content
    assert refused.json()["code"] == "trace.master_data_out_of_scope"
    assert not VocabularyElement.objects.exists()
    assert send(GLN_FARM).status_code in (201, 202)
    assert VocabularyElement.objects.get().uri == f"https://id.gs1.org/414/{GLN_FARM}"
    store_document(
        json.loads(GS1_MASTER_DATA.read_text()), Capture.objects.create(), lambda p: None
    )
    listed = client.get("/epcis/bizLocations").json()["member"]
    assert f"https://id.gs1.org/414/{GLN_FARM}" in listed
    assert not any("0037000007296" in place for place in listed)  # another's places
