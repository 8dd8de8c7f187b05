"""Every simple-event-query parameter of EPCIS 2.0 against the events it must answer.

The corpus is third-party: five OpenEPCIS capture documents and two GS1 examples (see
`standards/README.md`). Each event is named by a label below; each case lists the labels a
parameter must return, worked out by hand from the documents.
"""

import json

import pytest
from django.db import connection
from django.http import QueryDict
from rest_framework.test import APIClient

from scpvn.orgs.models import User
from scpvn.orgs.roles import Role
from scpvn.trace.maintenance import after_bulk_load
from scpvn.trace.models import Capture, Event, EventEPC, EventField, ExtensionPrefix
from scpvn.trace.repository import Scope, filter_events, store_document
from scpvn.trace.tests.factories import EPCIS_STANDARDS, corpus_events, corpus_label
from scpvn.trace.validation import parse_time

pytestmark = pytest.mark.django_db
CORPUS = {
    "openepcis/ObjectEvent_all_possible_fields.json": ["oe_all"],
    "openepcis/ObjectEvent_with_persistentDisposition.json": ["pd0", "pd1"],
    "openepcis/TransformationEvent_all_possible_fields.json": ["te_all"],
    "openepcis/ObjectEvent_with_userExtensions.json": ["ux0", "ux1"],
    "openepcis/ObjectEvent_with_sensorData.json": ["sensor"],
    "examples/WithErrorDeclaration_ErrorDeclarationAndCorrectiveEvent.jsonld": ["err", "fix"],
    "examples/WithSensorData_SensorDataExample16.jsonld": ["geo"],
}
ALL = {label for labels in CORPUS.values() for label in labels}


ORIGINALS = corpus_events(CORPUS)


def label(event: dict) -> str:
    return corpus_label(ORIGINALS, event)


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """Captured once for the module (capture is the slow part), removed afterwards."""
    with django_db_blocker.unblock():
        for path in CORPUS:
            document = json.loads((EPCIS_STANDARDS / path).read_text())
            store_document(document, Capture.objects.create(), lambda parsed: None)
        reader = User.objects.create(username="corpus-reader", role=Role.CITY_ADMIN)
        yield reader
        reader.delete()
        EventField.objects.all().delete()
        EventEPC.objects.all().delete()
        Event.objects.all().delete()
        Capture.objects.all().delete()
        ExtensionPrefix.objects.all().delete()


@pytest.fixture
def admin_api(corpus):
    """A signed-in city administrator, who reads every event (module-wide user: no
    per-test reference data to load)."""
    client = APIClient()
    client.force_authenticate(corpus)
    return client


def labels_of(response) -> list[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    return [label(e) for e in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


CASES = [
    # business transactions, sources and destinations by type
    ("EQ_bizTransaction_po", "urn:epc:id:gdti:0614141.00001.1618034", {"oe_all", "te_all"}),
    ("EQ_bizTransaction_po", "urn:epcglobal:cbv:bt:9529999999991:XYZ567", {"pd0", "pd1"}),
    ("EQ_bizTransaction_inv", "urn:epcglobal:cbv:bt:9520011111116:A123", {"pd0", "pd1"}),
    ("EQ_bizTransaction_inv", "urn:epcglobal:cbv:bt:9529999999991:XYZ567", set()),
    ("EQ_bizTransaction_po", "http://transaction.acme.com/po/12345678", {"ux0"}),
    ("EQ_source_owning_party", "urn:epc:id:pgln:4012345.00225", {"oe_all", "te_all"}),
    ("EQ_source_owning_party", "urn:epc:id:pgln:9520001.11111", {"pd0", "pd1"}),
    ("EQ_source_possessing_party", "urn:epc:id:pgln:9520001.11111", set()),
    ("EQ_source_location", "urn:epc:id:sgln:4012345.00225.0", {"oe_all", "te_all"}),
    ("EQ_destination_owning_party", "urn:epc:id:pgln:9520999.99999", {"pd0", "pd1"}),
    ("EQ_destination_location", "urn:epc:id:sgln:0614141.00777.0", {"oe_all", "te_all"}),
    # locations with descendants (a GLN covers its extensions); geo: URIs
    ("EQ_readPoint", "urn:epc:id:sgln:0012345.11111.0", set()),
    ("WD_readPoint", "urn:epc:id:sgln:0012345.11111.0", {"oe_all"}),
    ("WD_readPoint", "urn:epc:id:sgln:0614141.07346.0", {"ux0", "ux1", "err", "fix"}),
    ("WD_bizLocation", "urn:epc:id:sgln:0012345.11111.0", {"oe_all"}),
    ("EQ_readPoint", "geo:42.698334,23.319941", {"geo"}),
    ("EQ_readPoint", "geo:42.698334,23.319941,urn:epc:id:sgln:4012345.00005.0", {"geo", "sensor"}),
    # error declarations
    ("EXISTS_errorDeclaration", "", {"oe_all", "te_all", "err"}),
    ("EQ_errorReason", "incorrect_data", {"oe_all", "te_all", "err"}),
    ("EQ_errorReason", "urn:epcglobal:cbv:er:incorrect_data", {"oe_all", "te_all", "err"}),
    ("EQ_errorReason", "did_not_occur", set()),
    ("EQ_correctiveEventID", "urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8", {"err"}),
    ("GE_errorDeclarationTime", "2010-01-01T00:00:00Z", {"te_all", "err"}),
    ("LT_errorDeclarationTime", "2010-01-01T00:00:00Z", {"oe_all"}),
    ("GE_errorDeclaration_Time", "2020-01-01T00:00:00+07:00", {"err"}),
    ("EQ_ERROR_DECLARATION_example:vendorExtension", "Test1", {"err"}),
    # transformation, persistent disposition
    ("EQ_transformationID", "urn:epc:id:gdti:0614141.12345.400", {"te_all"}),
    ("EQ_persistentDisposition_set", "completeness_verified", {"oe_all", "pd1", "te_all"}),
    ("EQ_persistentDisposition_set", "completeness_inferred", {"pd0"}),
    ("EQ_persistentDisposition_unset", "completeness_inferred", {"oe_all", "pd1", "te_all"}),
    # sensor reports
    ("EXISTS_sensorElementList", "", {"oe_all", "te_all", "sensor"}),
    ("EQ_type", "Temperature", {"oe_all", "te_all", "sensor"}),
    ("EQ_type", "gs1:Speed", {"sensor"}),
    ("EQ_type", "https://gs1.org/voc/Illuminance", {"sensor"}),
    ("EQ_deviceID", "urn:epc:id:giai:4000001.111", {"oe_all", "te_all", "sensor"}),
    ("EQ_stringValue", "SomeString", {"oe_all", "te_all"}),
    ("EQ_booleanValue", "true", {"oe_all", "te_all"}),
    ("GE_value_CEL", "26.1", {"sensor"}),
    ("LT_value_CEL", "26.05", {"oe_all", "te_all", "sensor"}),
    ("EQ_value_KMH", "161", {"sensor"}),
    ("GE_maxValue_CEL", "26.1", {"oe_all", "te_all"}),
    ("GE_time", "2019-07-01T00:00:00Z", {"oe_all", "te_all"}),
    ("LT_time", "2019-07-01T00:00:00Z", {"oe_all", "te_all", "sensor"}),
    ("GE_percRank", "50", {"oe_all", "te_all"}),
    ("EQ_SENSORMETADATA_ext1:someFurtherMetadata", "someText", {"oe_all", "te_all"}),
    ("EQ_SENSORREPORT_ext1:someFurtherReportData", "someText", {"oe_all", "te_all"}),
    ("EQ_SENSORELEMENT_ext1:string", "string", {"oe_all", "te_all"}),
    # quantities
    ("GE_quantity_KGM", "200", {"oe_all", "err", "fix"}),
    ("EQ_quantity_KGM", "452", {"err"}),
    # ILMD (the cbvmda prefix is declared in one document only: both are found)
    ("EQ_ILMD_cbvmda:lotNumber", "ABC123", {"oe_all", "te_all"}),
    ("GT_ILMD_ext1:float", "19", {"oe_all", "te_all"}),
    ("GT_ILMD_ext1:float", "20", set()),
    ("GE_ILMD_ext1:time", "2013-06-08T00:00:00Z", {"oe_all", "te_all"}),
    ("LT_ILMD_ext1:time", "2013-06-08T00:00:00Z", set()),
    ("EXISTS_ILMD_example:userIlmd", "", {"ux1"}),
    ("EQ_INNER_ILMD_ext3:string", "stringInObjectInObject", {"oe_all", "te_all"}),
    ("EQ_ILMD_ext3:string", "stringInObjectInObject", set()),
    # extension fields of the event
    ("EQ_ext1:string", "string", {"oe_all", "te_all"}),
    ("EQ_ext1:int", "10", {"oe_all", "te_all"}),
    ("GT_ext1:int", "9", {"oe_all", "te_all"}),
    ("LE_ext1:int", "9", set()),
    ("EQ_ext1:array", "stringInArray", {"oe_all", "te_all"}),
    ("EXISTS_example:userElement", "", {"ux0", "ux1"}),
    ("EQ_INNER_ext2:string", "stringInObject", {"oe_all", "te_all"}),
    ("EXISTS_INNER_ext3:string", "", {"oe_all", "te_all"}),
    ("EQ_rail:nothing", "x", set()),
]


@pytest.mark.parametrize(
    ("name", "value", "expected"), CASES, ids=[f"{n}={v}"[:70] for n, v, _ in CASES]
)
def test_parameter_answers_its_expected_events(corpus, admin_api, name, value, expected):
    found = labels_of(admin_api.get("/epcis/events", {name: value, "perPage": 100}))
    assert set(found) == expected and len(found) == len(set(found))


def test_the_corpus_is_complete(corpus, admin_api):
    assert sorted(labels_of(admin_api.get("/epcis/events", {"perPage": 100}))) == sorted(ALL)


def test_extension_prefix_from_the_gs1_extensions_header(corpus, admin_api):
    response = admin_api.get(
        "/epcis/events",
        {"EQ_x:string": "string"},
        HTTP_GS1_EXTENSIONS="x=http://example.com/ext1/, y=http://example.com/ext2/",
    )
    assert set(labels_of(response)) == {"oe_all", "te_all"}


def test_order_by_event_time_both_ways(corpus, admin_api):
    def ordered(**params) -> list[str]:
        return labels_of(admin_api.get("/epcis/events", {"orderBy": "eventTime", **params}))

    up = ordered(orderDirection="ASC")
    down = ordered()  # DESC unless asked otherwise, as the standard says
    assert up[:3] == ["ux0", "ux1", "oe_all"] and down[0] == "geo"
    # Expected from the documents: eventTime, ties in capture order (the corpus order).
    moments = {name: parse_time(original["eventTime"]) for name, original in ORIGINALS}
    assert up == sorted(moments, key=moments.get)
    assert down == list(reversed(up))


def test_ordered_paging_walks_every_event_once(corpus, admin_api):
    params = {"orderBy": "eventTime", "orderDirection": "DESC", "perPage": 3}
    seen, url = [], None
    while True:
        response = admin_api.get(url) if url else admin_api.get("/epcis/events", params)
        seen += labels_of(response)
        link = response.get("Link", "")
        if not link:
            break
        url = link[1 : link.index(">")]
    everything = labels_of(admin_api.get("/epcis/events", {**params, "perPage": 100}))
    assert seen == everything and len(seen) == len(ALL)


def test_event_count_limit_caps_the_answer_across_pages(corpus, admin_api):
    params = {"orderBy": "eventTime", "orderDirection": "ASC", "eventCountLimit": 4}
    assert labels_of(admin_api.get("/epcis/events", {**params, "eventCountLimit": 2})) == [
        "ux0",
        "ux1",
    ]
    first = admin_api.get("/epcis/events", {**params, "perPage": 3})
    link = first["Link"]
    second = admin_api.get(link[1 : link.index(">")])
    assert len(labels_of(first)) == 3 and len(labels_of(second)) == 1
    assert "Link" not in second


def test_max_event_count_refuses_a_larger_answer(corpus, admin_api):
    response = admin_api.get("/epcis/events", {"maxEventCount": 3})
    assert response.status_code == 413
    body = response.json()
    assert body["type"] == "epcisException:QueryTooLargeException"
    assert body["code"] == "trace.query_too_large"
    assert len(labels_of(admin_api.get("/epcis/events", {"maxEventCount": 20}))) == len(ALL)


@pytest.mark.parametrize(
    "params",
    [
        {"orderBy": "colour"},
        {"orderDirection": "UP"},
        {"eventCountLimit": "2", "maxEventCount": "3"},
        {"eventCountLimit": "zero"},
        {"GT_ILMD_ext1:float": "high"},
        {"EQ_colour": "red"},
    ],
)
def test_bad_parameters_are_query_parameter_exceptions(corpus, admin_api, params):
    response = admin_api.get("/epcis/events", params)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "epcisException:QueryParameterException"
    assert body["code"] == "trace.query_parameter"


def plan(params: dict) -> str:
    """PostgreSQL's plan for the query, on the event tables' statistics of the corpus.

    The event tables are analyzed first, as after a bulk load: otherwise the row counts an
    earlier test's ANALYZE left in pg_class (kept when that test's rows were rolled back, while
    its column statistics were not) decide between two usable indexes, as in a full run."""
    query_params = QueryDict(mutable=True)
    query_params.update(params)
    query = filter_events(query_params, Scope())
    sql, args = query.query.sql_with_params()
    with connection.cursor() as cursor:
        after_bulk_load()  # the event tables only: the vocabulary's are not bulk-loaded
        cursor.execute("SET enable_seqscan = off")  # a tiny table: ask which index is usable
        cursor.execute(f"EXPLAIN {sql}", args)
        lines = [row[0] for row in cursor.fetchall()]
        cursor.execute("SET enable_seqscan = on")
    return "\n".join(lines)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"MATCH_epc": "urn:epc:id:sgtin:0614141.107346.2018"}, "trace_epc_uri_role"),
        ({"EQ_ILMD_cbvmda:lotNumber": "ABC123"}, "trace_field_name_text"),
        ({"GT_ext1:int": "9"}, "trace_field_name_number"),
        ({"EQ_bizTransaction_po": "urn:epc:id:gdti:0614141.00001.1618034"}, "trace_field_name"),
    ],
)
def test_postgresql_answers_from_an_index(corpus, params, index):
    assert index in plan(params), plan(params)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
@pytest.mark.parametrize("params", [{"EQ_ext1:int": "10"}, {"EQ_ILMD_ext1:float": "20"}])
def test_postgresql_joins_an_extension_equality_matched_as_text_or_number(corpus, params):
    """A value that reads as a number is looked up as text or number in one subquery, which
    PostgreSQL joins; two ORed subqueries were a filter run on every event."""
    found = plan(params)
    assert "SubPlan" not in found and "trace_field_name" in found, found


def test_corpus_files_are_the_third_party_copies():
    licence = EPCIS_STANDARDS / "openepcis" / "LICENSE-Apache-2.0"
    assert "Apache License" in licence.read_text()
    assert all((EPCIS_STANDARDS / path).exists() for path in CORPUS)
