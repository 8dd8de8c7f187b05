"""Master data (vocabularies) and unit conversion in the query interface.

Events are GS1's published examples (`standards/examples/`); the master data is GS1's
example 9.8.1 of the EPCIS 2.0 standard (`standards/masterdata/`, the JSON-LD binding of
GS1's XML `Example-masterData.xml`), plus a hierarchy these tests declare over the
examples' own places (HIERARCHY below). Each case lists the events a parameter must
return, worked out by hand from the documents.
"""

import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

from scpvn.orgs.models import User
from scpvn.orgs.roles import Role
from scpvn.trace.models import (
    Capture,
    Event,
    EventEPC,
    EventField,
    ExtensionPrefix,
    VocabularyAttribute,
    VocabularyChild,
    VocabularyElement,
)
from scpvn.trace.repository import store_document
from scpvn.trace.tests.factories import EPCIS_STANDARDS, corpus_events, corpus_label
from scpvn.trace.units import comparable, convert, units

pytestmark = pytest.mark.django_db
CORPUS = {
    "examples/WithFullCombinationOfFields_aggregation_event_all_possible_fields.jsonld": ["agg"],
    "examples/Example_9.6.2-ObjectEvent.jsonld": ["oe962"],
    "examples/Example_9.6.3-AggregationEvent.jsonld": ["ag963"],
    "examples/Example_9.6.4-TransformationEvent.jsonld": ["tf964"],
    "examples/WithSensorData_SensorDataExample5.jsonld": ["s5"],
    "examples/WithSensorData_SensorDataExample10.jsonld": ["s10"],
    "examples/WithSensorData_SensorDataExample15.jsonld": ["s15"],
    "examples/WithSensorData_SensorDataExample17.jsonld": ["s17"],
}
GS1_MASTER_DATA = EPCIS_STANDARDS / "masterdata" / "Example_9.8.1-MasterData.jsonld"
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def master_document(vocabularies: list[dict]) -> dict:
    return {
        "@context": [CONTEXT, {"example": "http://ns.example.com/epcis/"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2024-01-01T00:00:00Z",
        "epcisHeader": {"epcisMasterData": {"vocabularyList": vocabularies}},
        "epcisBody": {"eventList": []},
    }


# Below GS1's 8202 → 8203, the examples' distribution centre (bizLocation of 9.6.2 and
# 9.6.3), which loops back to GS1's site: WD_ must follow two levels and stop on the cycle.
# Identifiers are written in other forms than the events use (Digital Link, EPC URN).
HIERARCHY = master_document(
    [
        {
            "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
            "vocabularyElementList": [
                {
                    "id": "https://id.gs1.org/414/0037000007296/254/8203",
                    "children": ["https://id.gs1.org/414/0614141008889"],
                },
                {
                    "id": "urn:epc:id:sgln:0614141.00888.0",
                    "attributes": [
                        {"id": "urn:epcglobal:cbv:mda#name", "attribute": "Distribution centre"},
                        {"id": "example:capacity", "attribute": 1200},
                    ],
                    "children": ["urn:epc:id:sgln:0037000.00729.0"],
                },
            ],
        },
        {
            "type": "urn:epcglobal:epcis:vtype:ReadPoint",
            "vocabularyElementList": [
                {
                    "id": "urn:epc:id:sgln:0614141.00777.0",
                    "children": ["https://id.gs1.org/414/4012345000016"],
                }
            ],
        },
        {
            "type": "urn:epcglobal:epcis:vtype:BusinessStep",
            "vocabularyElementList": [
                {
                    "id": "https://ref.gs1.org/cbv/BizStep-receiving",
                    "attributes": [{"id": "example:dock", "attribute": "D7"}],
                }
            ],
        },
        {
            "type": "urn:epcglobal:epcis:vtype:EPCClass",
            "vocabularyElementList": [
                {
                    "id": "https://id.gs1.org/01/04012345123456/10/998877",
                    "attributes": [{"id": "cbvmda:countryOfOrigin", "attribute": "VN"}],
                }
            ],
        },
    ]
)


ORIGINALS = corpus_events(CORPUS)


def label(event: dict) -> str:
    return corpus_label(ORIGINALS, event)


def wipe() -> None:
    VocabularyElement.objects.all().delete()
    EventField.objects.all().delete()
    EventEPC.objects.all().delete()
    Event.objects.all().delete()
    Capture.objects.all().delete()
    ExtensionPrefix.objects.all().delete()


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for path in CORPUS:
            document = json.loads((EPCIS_STANDARDS / path).read_text())
            store_document(document, Capture.objects.create(), lambda parsed: None)
        for document in (json.loads(GS1_MASTER_DATA.read_text()), HIERARCHY):
            store_document(document, Capture.objects.create(), lambda parsed: None)
        reader = User.objects.create(username="masterdata-reader", role=Role.CITY_ADMIN)
        yield reader
        reader.delete()
        wipe()


@pytest.fixture
def admin_api(corpus):
    client = APIClient()
    client.force_authenticate(corpus)
    return client


def labels_of(response) -> set[str]:
    assert response.status_code == 200, response.content
    found = [
        label(e) for e in response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    ]
    assert len(found) == len(set(found))
    return set(found)


CASES = [
    # WD_: the place, its GLN extensions, and its master-data descendants, transitively
    ("EQ_bizLocation", "urn:epc:id:sgln:0037000.00729.8202", {"agg"}),
    ("WD_bizLocation", "urn:epc:id:sgln:0037000.00729.8202", {"agg", "oe962", "ag963"}),
    ("WD_bizLocation", "urn:epc:id:sgln:0037000.00729.8203", {"agg", "oe962", "ag963"}),
    ("WD_bizLocation", "https://id.gs1.org/414/0614141008889", {"agg", "oe962", "ag963"}),
    ("WD_bizLocation", "urn:epc:id:sgln:0037000.00729.8201", set()),
    ("WD_bizLocation", "urn:epc:id:sgln:0614141.00777.0", set()),  # a ReadPoint hierarchy
    ("WD_readPoint", "urn:epc:id:sgln:0614141.00777.0", {"oe962", "ag963", "tf964"}),
    ("WD_readPoint", "urn:epc:id:sgln:0037000.00729.8203", set()),  # a BusinessLocation one
    ("EQ_readPoint", "urn:epc:id:sgln:0614141.00777.0", {"oe962", "ag963"}),
    # HASATTR_ / EQATTR_ (and the query schema's EQ_ATTR_ spelling)
    ("HASATTR_bizLocation", "cbvmda:sst", {"agg"}),
    ("HASATTR_bizLocation", "urn:epcglobal:cbv:mda:ssa", set()),
    ("HASATTR_bizLocation", "urn:epcglobal:cbv:mda:name", {"oe962", "ag963"}),
    ("HASATTR_readPoint", "urn:epcglobal:cbv:mda#site", {"agg"}),
    ("EQATTR_bizLocation_cbvmda:sst", "202", {"agg"}),
    ("EQATTR_bizLocation_urn:epcglobal:cbv:mda:sst", "201,203", set()),
    ("EQATTR_readPoint_cbvmda:sst", "202", {"agg"}),
    ("EQATTR_readPoint_cbvmda:sst", "203", set()),
    ("EQ_ATTR_bizLocation_cbvmda:sst", "202", {"agg"}),
    ("EQATTR_bizLocation_example:capacity", "1200", {"oe962", "ag963"}),
    ("EQATTR_bizLocation_example:capacity", "1200.0", {"oe962", "ag963"}),
    ("EQATTR_bizLocation_cbvmda:name", "Distribution centre", {"oe962", "ag963"}),
    ("EQATTR_bizStep_example:dock", "D7", {"agg", "oe962", "ag963"}),
    ("HASATTR_epcClass", "cbvmda:countryOfOrigin", {"agg", "oe962", "ag963"}),
    ("EQATTR_epcClass_cbvmda:countryOfOrigin", "VN", {"agg", "oe962", "ag963"}),
    ("EQATTR_epcClass_cbvmda:countryOfOrigin", "TH", set()),
    # sensor values and quantities in another unit of the same dimension
    ("GE_value_CEL", "26.2", {"s5"}),
    ("GE_value_FAH", "79.16", {"s5"}),  # 26.2 °C
    ("GE_value_KEL", "299.35", {"s5"}),  # 26.2 °C
    ("LT_value_FAH", "78.8", set()),  # 26 °C: nothing colder
    ("LE_value_FAH", "78.8", {"agg", "s5"}),
    ("GE_maxValue_FAH", "79.16", {"agg"}),  # maxValue 26.2 °C
    ("EQ_value_GRM", "25000", {"s17"}),
    ("EQ_value_LBR", "2.20462262185", {"s17"}),  # 1 kg
    ("GT_value_TNE", "0.0255", {"s17"}),
    ("EQ_value_KMH", "46.08", {"s10"}),  # 12.8 m/s
    ("GE_value_KMT", "2477.5", {"s15"}),
    ("LT_value_CMT", "0", {"s15"}),
    ("GE_value_MTR", "0", {"s15"}),  # not the temperatures, masses, speeds
    ("GE_quantity_GRM", "200500", {"agg", "ag963"}),
    ("LT_quantity_TNE", "0.2003", {"oe962", "tf964"}),  # 200 kg; 10 kg in
]


@pytest.mark.parametrize(
    ("name", "value", "expected"), CASES, ids=[f"{n}={v}"[:70] for n, v, _ in CASES]
)
def test_parameter_answers_its_expected_events(corpus, admin_api, name, value, expected):
    assert labels_of(admin_api.get("/epcis/events", {name: value, "perPage": 100})) == expected


def test_master_data_is_stored_canonical(corpus):
    child = VocabularyChild.objects.get(uri="https://id.gs1.org/414/0614141008889")
    assert child.parent.uri == "https://id.gs1.org/414/0037000007296/254/8203"
    step = VocabularyElement.objects.get(vtype="urn:epcglobal:epcis:vtype:BusinessStep")
    assert step.uri == "receiving"
    address = VocabularyAttribute.objects.get(name="http://epcis.example.com/mda/address")
    assert address.value["City"] == "Fancy" and address.text == ""
    assert VocabularyElement.objects.filter(capture__event_count=0).count() == 11


def test_places_known_from_master_data_are_listed(corpus, admin_api):
    places = admin_api.get("/epcis/bizLocations").json()["member"]
    assert "https://id.gs1.org/414/0037000007296/254/8201" in places  # no event there
    assert "https://id.gs1.org/414/0614141008889" in places  # events and master data, once
    assert len(places) == len(set(places))
    assert (
        "https://id.gs1.org/414/4012345000016"
        in admin_api.get("/epcis/readPoints").json()["member"]
    )


@pytest.mark.parametrize(
    "params",
    [
        {"EQATTR_colour_cbvmda:sst": "1"},
        {"HASATTR_colour": "cbvmda:sst"},
        {"EQATTR_bizLocation": "1"},
    ],
)
def test_attribute_parameters_on_other_fields_are_refused(corpus, admin_api, params):
    response = admin_api.get("/epcis/events", params)
    assert response.status_code == 400
    assert response.json()["type"] == "epcisException:QueryParameterException"


# --- Units ----------------------------------------------------------------------------------


def test_conversions_of_the_unit_table():
    assert convert(100, "CEL", "FAH") == 212
    assert convert(-40, "FAH", "CEL") == -40
    assert convert(0, "KEL", "CEL") == -273.15
    assert convert(1, "LBR", "GRM") == 453.59237
    assert convert(36, "KMH", "MTS") == 10
    assert comparable("CEL")[0] == "CEL" and set(comparable("CEL")) == {"CEL", "FAH", "KEL"}
    assert comparable("ZZZ") == ["ZZZ"]
    assert {"KGM", "GRM", "MTR", "LTR"} <= set(units())
    with pytest.raises(ValueError):
        convert(1, "KGM", "MTR")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"EQATTR_bizLocation_cbvmda:sst": "202"}, "trace_vocabulary_attr"),
        ({"HASATTR_readPoint": "cbvmda:site"}, "trace_vocabulary_attr"),
        ({"WD_bizLocation": "urn:epc:id:sgln:0037000.00729.8202"}, "biz_location"),
        ({"GE_value_FAH": "79.16"}, "trace_field_name"),
    ],
)
def test_postgresql_answers_from_an_index(corpus, params, index):
    from scpvn.trace.tests.test_query_parameters import plan

    found = plan(params)
    assert index in found and "Seq Scan" not in found, found
