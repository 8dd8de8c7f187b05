"""The EPCIS 2.0 XML binding: XML capture is the JSON-LD capture, and answers read as XML are
the same events (third-party documents only: OpenEPCIS's XML/JSON twins, GS1's examples, the
reference hash implementation's XML vectors; see standards/README.md)."""

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import override_settings
from lxml import etree

from scpvn.trace.eventhash import document_event_hashes, document_events
from scpvn.trace.models import Capture, Event, EventEPC
from scpvn.trace.tests.factories import example_documents
from scpvn.trace.tests.test_xml_round_trip import events_of
from scpvn.trace.xmlbinding import read_xml_document, schemas

pytestmark = pytest.mark.django_db
STANDARDS = Path(__file__).resolve().parent.parent / "standards"
OPENEPCIS = STANDARDS / "conformance" / "openepcis"
TWINS = sorted((OPENEPCIS / "XML" / "Capture" / "Documents").glob("*.xml"))
INVALID = sorted((OPENEPCIS / "XML" / "Capture" / "Invalid").glob("*.xml"))
HASH_VECTORS = sorted((STANDARDS / "conformance" / "hash-xml").glob("*.xml"))
GS1_XML = sorted((STANDARDS / "examples-xml").glob("*.xml"))
# Not valid against GS1's XSD, so refused as XML (their JSON twins are not bound by it):
# fields out of the XSD's order, an ObjectEvent in the epcis namespace, the reference
# implementation's own conventions (`ignoreFields`, sensorElementList out of order,
# `QueryResults` where the XSD has it in the query namespace).
NOT_XSD_VALID = {
    "JumbledFieldsOrder",
    "Namespace_document",
    "SensorDataExamples",
    "epcisQueryDocument",
    "epcisXmlDocHavingEventWithIgnoreFields",
    "epcisXmlQueryDocHavingEventWithIgnoreFields",
}
# The JSON twin hashes differently from the XML, and so do the reference implementation's own
# readings of the two bindings: GS1 CURIE values (`gs1:ALARM_CONDITION`, `cbv:Comp-latitude`,
# `cbv:my_own_party`) that the JSON document's @context does not declare are hashed as
# written in JSON and expanded in XML (as the published XML vectors require); an XML value
# typed `xsi:type="xsd:boolean"` is a JSON boolean, where the twin writes the string
# "true"; an @context nested in a JSON event enters its hash.
TWIN_DIFFERS = {
    "AssociationEvent_all_possible_fields": "xsi:type boolean, twin has a string",
    "Combination_of_different_event": "cbv: CURIE undeclared in the twin",
    "CurieString_document": "gs1:/cbv: CURIEs undeclared in the twin",
    "Namespaces_at_different_level": "nested @context; gs1: CURIE undeclared in the twin",
    "SensorData_with_combined_events": "gs1: CURIEs undeclared in the twin",
    "epcisDocWithSensorComponent": "gs1:/cbv: CURIEs undeclared in the twin",
}
# The XML repeats one SSCC in epcList (its JSON twin writes it once, in another form): the
# JSON schema's uniqueItems, which capture applies to both bindings, refuses it.
REFUSED_ONLY_AS_XML = {"epcisDocWithAllGS1Keys": "epcList"}


def capture(client, body: bytes, content_type: str = "application/xml"):
    return client.post("/epcis/capture", body, content_type=content_type)


def stored() -> list[tuple[str, str]]:
    return sorted(Event.objects.values_list("event_id", "event_type"))


def forget_everything() -> None:
    EventEPC.objects.all().delete()
    Event.objects.all().delete()
    Capture.objects.all().delete()


def test_the_corpus_is_there():
    assert len(TWINS) == 37 and len(INVALID) == 7 and len(HASH_VECTORS) == 17
    assert len(GS1_XML) == 27


@pytest.mark.parametrize("path", TWINS, ids=[p.stem for p in TWINS])
def test_xml_captures_as_its_json_twin(admin_api, path):
    """OpenEPCIS's capture documents exist in both bindings: captured from XML they store
    the same events (same IDs, CBV hash where the document gives none) as from JSON-LD,
    or both are refused for the same event and field."""
    from_xml = capture(admin_api, path.read_bytes())
    if path.stem in NOT_XSD_VALID:
        assert from_xml.status_code == 400
        assert from_xml.json()["code"] == "trace.xml_schema_invalid"
        assert Event.objects.count() == 0
        return
    twin = OPENEPCIS / "JSON" / "Capture" / "Documents" / f"{path.stem}.json"
    if not twin.exists():
        assert from_xml.status_code == 202, from_xml.content
        return
    if path.stem in REFUSED_ONLY_AS_XML:
        assert from_xml.status_code == 400
        assert from_xml.json()["field"] == REFUSED_ONLY_AS_XML[path.stem]
        assert Event.objects.count() == 0
        return
    xml_events = stored()
    forget_everything()
    from_json = capture(admin_api, twin.read_bytes(), "application/ld+json")
    assert from_xml.status_code == from_json.status_code, (from_xml.content, from_json.content)
    if from_json.status_code != 202:
        problem_x, problem_j = from_xml.json(), from_json.json()
        for key in ("code", "eventIndex", "field"):
            assert problem_x.get(key) == problem_j.get(key), (problem_x, problem_j)
        assert Event.objects.count() == 0
        return
    if path.stem in TWIN_DIFFERS:
        assert len(xml_events) == len(stored())
        return
    assert xml_events == stored()
    document = read_xml_document(path.read_bytes())
    assert document_event_hashes(document) == document_event_hashes(json.loads(twin.read_text()))


@pytest.mark.parametrize("path", HASH_VECTORS, ids=[p.stem for p in HASH_VECTORS])
def test_xml_events_get_the_published_hash_ids(admin_api, path):
    """The reference implementation's expected event hash IDs of its XML documents."""
    if path.stem in NOT_XSD_VALID:
        assert capture(admin_api, path.read_bytes()).status_code == 400
        return
    expected = path.with_suffix(".hashes").read_text().split()
    got = document_event_hashes(read_xml_document(path.read_bytes()))
    assert got == expected


@pytest.mark.parametrize("path", GS1_XML, ids=[p.stem for p in GS1_XML])
def test_gs1_xml_examples_are_read_and_written_back_valid(path):
    """Every GS1 XML example is read, and the JSON-LD it becomes is written back as XML
    that GS1's XSD accepts and that reads back to the same events."""
    from scpvn.trace.xmlbinding import epcis_document_xml

    document = read_xml_document(path.read_bytes())
    written = epcis_document_xml(document)
    assert schemas()["EPCISDocument"].validate(etree.fromstring(written).getroottree())
    again = read_xml_document(written)
    assert again["epcisBody"] == document["epcisBody"]
    assert document_event_hashes(again) == document_event_hashes(document)


ROUND_TRIP = [p for p in example_documents() if "SensorData" in p.stem or "all_possible" in p.stem]
ROUND_TRIP += [p for p in example_documents() if p.stem.startswith(("Example_9", "Association"))]
# Sensor components written as `cbv:Comp-…` CURIEs that the document's @context does not
# declare: XML reads them as the CBV words they are (`latitude`), which the event hash
# expands, where the reference leaves the undeclared JSON CURIE as written. The stored IDs
# are the same (the XML carries them); the recomputed hashes and the forms differ.
CURIE_FORMS = {"WithFullCombinationOfFields_aggregation_event_all_possible_fields"}


@pytest.mark.parametrize("path", ROUND_TRIP, ids=[p.stem for p in ROUND_TRIP])
def test_json_capture_read_as_xml_captures_the_same_elsewhere(admin_api, path):
    """JSON-LD in, the query answered as XML, that XML captured by another repository
    (here: the same one, emptied): the same events, field for field."""
    assert capture(admin_api, path.read_bytes(), "application/ld+json").status_code == 202
    before = stored()
    as_json = admin_api.get("/epcis/events", {"perPage": 1000}).json()
    answer = admin_api.get("/epcis/events", {"perPage": 1000}, HTTP_ACCEPT="application/xml")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/xml")
    assert answer["GS1-EPCIS-Version"] == "2.0.0"
    tree = etree.fromstring(answer.content).getroottree()
    assert schemas()["EPCISQueryDocument"].validate(tree), schemas()["EPCISQueryDocument"].error_log
    forget_everything()
    recaptured = capture(admin_api, answer.content)
    assert recaptured.status_code == 202, recaptured.content
    assert stored() == before
    again = admin_api.get("/epcis/events", {"perPage": 1000}).json()

    def events(document):
        found = document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        return sorted(
            ({k: v for k, v in e.items() if k != "recordTime"} for e in found),
            key=lambda e: (e["eventID"], json.dumps(e, sort_keys=True)),
        )

    if path.stem in CURIE_FORMS:
        for document in (again, as_json):
            for event in document_events(document):
                del event["recordTime"]
        assert events_of(again) == events_of(as_json)
        return
    assert sorted(document_event_hashes(again)) == sorted(document_event_hashes(as_json))
    for mine, theirs in zip(events(again), events(as_json), strict=True):
        assert mine == theirs


def test_event_detail_negotiates_xml_in_one_place(admin_api):
    path = STANDARDS / "examples" / "Example_9.6.1-ObjectEvent.jsonld"
    assert capture(admin_api, path.read_bytes(), "application/ld+json").status_code == 202
    event_id = Event.objects.values_list("event_id", flat=True)[0]
    url = "/epcis/events/" + quote(event_id, safe="")
    for accept in ("application/xml", "text/xml", "application/json;q=0.5, application/xml"):
        response = admin_api.get(url, HTTP_ACCEPT=accept)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/xml"), accept
        root = etree.fromstring(response.content)
        assert root.tag == "{urn:epcglobal:epcis-query:xsd:2}EPCISQueryDocument"
        assert root.findtext(".//eventID") == event_id
    for accept in ("", "*/*", "application/ld+json", "application/xml;q=0.2, application/json"):
        response = admin_api.get(url, HTTP_ACCEPT=accept) if accept else admin_api.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/ld+json"), accept


MALFORMED = b"<epcis:EPCISDocument xmlns:epcis='urn:epcglobal:epcis:xsd:2'><EPCISBody>"
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"
  creationDate="2026-01-01T00:00:00Z"><EPCISBody><EventList><ObjectEvent>
  <eventTime>2026-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
  <epcList><epc>&xxe;</epc></epcList><action>OBSERVE</action>
</ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"
  creationDate="2026-01-01T00:00:00Z"><EPCISBody><EventList/></EPCISBody>
  <x>&lol9;</x></epcis:EPCISDocument>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd">
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"
  creationDate="2026-01-01T00:00:00Z"><EPCISBody><EventList/></EPCISBody></epcis:EPCISDocument>"""


@pytest.mark.parametrize(
    "body, code",
    [
        (MALFORMED, "trace.xml_malformed"),
        (b"", "trace.xml_malformed"),
        (XXE, "trace.xml_forbidden"),
        (LAUGHS, "trace.xml_forbidden"),
        (EXTERNAL_DTD, "trace.xml_forbidden"),
        (b"<html><body/></html>", "trace.xml_schema_invalid"),
    ],
    ids=["malformed", "empty", "xxe", "billion-laughs", "external-dtd", "not-epcis"],
)
def test_unsafe_or_broken_xml_is_a_problem_and_stores_nothing(admin_api, body, code):
    response = capture(admin_api, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert b"root:" not in response.content
    assert Event.objects.count() == 0 and Capture.objects.count() == 0


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_xml_not_valid_against_the_xsd_names_event_and_field(admin_api, path):
    response = capture(admin_api, path.read_bytes())
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "trace.xml_schema_invalid"
    if path.stem == "ObjectEvent_with_invalid_action":
        assert problem["eventIndex"] == 0 and problem["field"] == "action"
    assert Event.objects.count() == 0


def test_xml_capture_shares_the_json_checks_and_all_or_nothing(admin_api):
    """A bad check digit in the second event: refused as JSON would be, naming event and
    field; the first, good event is not stored either."""
    good = "https://id.gs1.org/01/09520123456788/21/A1"
    bad = "https://id.gs1.org/01/09520123456789/21/A1"

    def event(epc: str) -> str:
        return (
            "<ObjectEvent><eventTime>2026-03-01T06:00:00+07:00</eventTime>"
            "<eventTimeZoneOffset>+07:00</eventTimeZoneOffset>"
            f"<epcList><epc>{epc}</epc></epcList><action>ADD</action>"
            "<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep></ObjectEvent>"
        )

    body = (
        '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" '
        'creationDate="2026-03-01T07:00:00+07:00"><EPCISBody><EventList>'
        f"{event(good)}{event(bad)}</EventList></EPCISBody></epcis:EPCISDocument>"
    ).encode()
    response = capture(admin_api, body)
    assert response.status_code == 400, response.content
    problem = response.json()
    assert problem["eventIndex"] == 1 and problem["field"] == "epcList[0]"
    assert Event.objects.count() == 0
    fixed = body.replace(bad.encode(), b"https://id.gs1.org/01/09520123456788/21/A2")
    assert capture(admin_api, fixed).status_code == 202
    stored_event = Event.objects.order_by("pk").first()
    assert stored_event.biz_step == "commissioning"
    assert stored_event.document["bizStep"] == "commissioning"


@override_settings(SCPVN_JSON_MAX_BYTES=1000)
def test_xml_larger_than_the_bound_is_refused(admin_api):
    body = (TWINS[0]).read_bytes()
    assert len(body) > 1000
    response = capture(admin_api, body)
    assert response.status_code == 413 and response.json()["code"] == "trace.xml_too_large"
    assert Event.objects.count() == 0


def test_other_media_types_are_still_refused(admin_api):
    response = capture(admin_api, b"a,b", "text/csv")
    assert response.status_code == 415 and response.json()["code"] == "trace.unsupported_media_type"


MASTER_DATA = b"""<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"
  xmlns:example="http://ns.example.com/epcis/" schemaVersion="2.0"
  creationDate="2026-03-01T07:00:00+07:00">
  <EPCISHeader><extension><EPCISMasterData><VocabularyList>
    <Vocabulary type="urn:epcglobal:epcis:vtype:BusinessLocation">
      <VocabularyElementList>
        <VocabularyElement id="urn:epc:id:sgln:0037000.00729.0">
          <attribute id="urn:epcglobal:cbv:mda:name">Kho Long Bi\xc3\xaan</attribute>
          <attribute id="http://ns.example.com/epcis/address">
            <example:Address><example:City>H\xc3\xa0 N\xe1\xbb\x99i</example:City></example:Address>
          </attribute>
          <children><id>urn:epc:id:sgln:0037000.00729.8201</id></children>
        </VocabularyElement>
        <VocabularyElement id="urn:epc:id:sgln:0037000.00729.8201"/>
      </VocabularyElementList>
    </Vocabulary>
  </VocabularyList></EPCISMasterData></extension></EPCISHeader>
  <EPCISBody><EventList/></EPCISBody>
</epcis:EPCISDocument>"""


def test_header_master_data_is_captured_from_xml(admin_api):
    """The XML header's master data takes the JSON header's path (masterdata.py)."""
    from scpvn.trace.models import VocabularyChild, VocabularyElement

    document = read_xml_document(MASTER_DATA)
    (vocabulary,) = document["epcisHeader"]["epcisMasterData"]["vocabularyList"]
    place = vocabulary["vocabularyElementList"][0]
    assert place["attributes"][0] == {
        "id": "urn:epcglobal:cbv:mda:name",
        "attribute": "Kho Long Biên",
    }
    assert place["attributes"][1]["attribute"] == {"example:Address": {"example:City": "Hà Nội"}}
    response = capture(admin_api, MASTER_DATA)
    assert response.status_code == 202, response.content
    assert VocabularyElement.objects.count() == 2
    assert VocabularyChild.objects.count() == 1
