"""Both bindings say the same thing: every JSON-LD document of the corpus written as XML and
read back, and every XML document read as JSON-LD and written back, keeps its values —
booleans and numbers of user extensions included (third-party documents only: GS1's examples
in both bindings and OpenEPCIS's capture documents; see standards/README.md).

No server and no database: the conversions themselves, one document per test.

"The same" is what the standard lets differ and no more: CBV values in any of their forms
(URN, Web URI, CURIE, bare word: `from_cbv`), numbers and GS1 keys as the event hash writes
them (`canonical_value`), prefixes by the IRI they stand for, and in XML the order of
elements, which namespace prefix is used, an extension's attribute read as a member (JSON-LD
has no attributes: it comes back as a child element), `xsi:nil` for an absent value and
xsi:types JSON has no value type for (xsd:string, xsd:dateTime: text either way)."""

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from scpvn.trace.errors import CaptureRefused
from scpvn.trace.eventhash import canonical_value, document_events, vocabulary_words
from scpvn.trace.xmlbinding import (
    NATIVE_TYPES,
    XSI_NS,
    _event_elements,
    epcis_document_xml,
    from_cbv,
    read_xml_document,
    schemas,
)

STANDARDS = Path(__file__).resolve().parent.parent / "standards"
OPENEPCIS = STANDARDS / "conformance" / "openepcis"
JSON_DOCUMENTS = [
    p
    for p in [
        *sorted((STANDARDS / "examples").glob("*.jsonld")),
        *sorted((OPENEPCIS / "JSON" / "Capture" / "Documents").glob("*.json")),
    ]
    if json.loads(p.read_text()).get("type") == "EPCISDocument"
]
XML_DOCUMENTS = [
    *sorted((STANDARDS / "examples-xml").glob("*.xml")),
    *sorted((OPENEPCIS / "XML" / "Capture" / "Documents").glob("*.xml")),
]
# GS1's XSD refuses these (see test_xml_binding.NOT_XSD_VALID): nothing to read back.
NOT_XSD_VALID = {"JumbledFieldsOrder", "Namespace_document", "SensorDataExamples"}
XSD_TYPES = {kind for kind in NATIVE_TYPES.values()}


def _prefixes(context: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in context if isinstance(context, list) else [context]:
        if isinstance(entry, dict):
            found.update({k: v for k, v in entry.items() if isinstance(v, str)})
    return found


def _vocabulary(parent: str, key: str, value: str) -> str:
    words = vocabulary_words()
    for place in ((parent, key), ("", key)):
        if place in words:
            return canonical_value(from_cbv(*place, value))
    return canonical_value(value)


def comparable(value: Any, prefixes: dict[str, str], parent: str = "", key: str = "") -> Any:
    """A JSON value with its type kept, strings in one form, names by their IRI."""
    if isinstance(value, dict):
        if "@context" in value:  # an event's own prefixes
            prefixes = {**prefixes, **_prefixes(value["@context"])}

        def expanded(name: str) -> str:
            prefix, sep, local = name.partition(":")
            return prefixes[prefix] + local if sep and prefix in prefixes else name

        return {
            expanded(k): comparable(v, prefixes, key, k)
            for k, v in value.items()
            if k != "@context"
        }
    if isinstance(value, list):
        return [comparable(v, prefixes, parent, key) for v in value]
    if isinstance(value, str):
        return _vocabulary(parent, key, value)
    return (type(value).__name__, value)


def events_of(document: dict) -> list:
    """The events of a capture or query document, comparable, in one order."""
    events = comparable(document_events(document), _prefixes(document.get("@context")))
    return sorted(events, key=lambda event: json.dumps(event, sort_keys=True))


def leaves(element, path: str = "", parent: str = "", in_extension: bool = False) -> list:
    """Every text and attribute of an XML event, as (path of namespace-qualified names,
    value); an extension's attributes as its members."""
    name = etree.QName(element)
    in_extension = in_extension or bool(name.namespace)
    if element.get(f"{{{XSI_NS}}}nil") == "true" and not (element.text or "").strip():
        return []
    found = []
    if not name.namespace and name.localname in ("extension", "baseExtension"):
        here = path  # the 1.x wrapper: its members belong to the parent
    else:
        here = f"{path}/{element.tag}"
        text = (element.text or "").strip()
        found.append((here, _vocabulary(_owner(parent), name.localname, text)))
        for attribute, value in element.attrib.items():
            qualified = etree.QName(attribute)
            if qualified.namespace == XSI_NS:
                kind = value.rpartition(":")[2]
                if qualified.localname == "type" and kind in XSD_TYPES:
                    found.append((f"{here}@xsi:type", kind))
                continue
            where = f"{here}/{attribute}" if in_extension else f"{here}@{attribute}"
            found.append(
                (where, _vocabulary(_owner(name.localname), qualified.localname, value.strip()))
            )
    for child in element:
        if isinstance(child.tag, str):
            found.extend(leaves(child, here, name.localname, in_extension))
    return found


def _owner(parent: str) -> str:
    """The parent as `vocabulary_words` keys it (a list for a list's members)."""
    return f"{parent}List" if parent in ("bizTransaction", "source", "destination") else parent


def xml_events(raw: bytes) -> list:
    root = etree.fromstring(raw)
    return [sorted(leaves(event)) for event in _event_elements(root)]


@pytest.mark.parametrize("path", JSON_DOCUMENTS, ids=[p.stem for p in JSON_DOCUMENTS])
def test_json_written_as_xml_reads_back_the_same(path):
    document = json.loads(path.read_text())
    written = epcis_document_xml(document)
    tree = etree.fromstring(written).getroottree()
    assert schemas()["EPCISDocument"].validate(tree), schemas()["EPCISDocument"].error_log
    assert events_of(read_xml_document(written)) == events_of(document)


@pytest.mark.parametrize("path", XML_DOCUMENTS, ids=[p.stem for p in XML_DOCUMENTS])
def test_xml_read_as_json_writes_back_the_same(path):
    raw = path.read_bytes()
    if path.stem in NOT_XSD_VALID:
        with pytest.raises(CaptureRefused):
            read_xml_document(raw)
        return
    document = read_xml_document(raw)
    written = epcis_document_xml(document)
    assert xml_events(written) == xml_events(raw)
    assert read_xml_document(written)["epcisBody"] == document["epcisBody"]


TYPED = b"""<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"
  creationDate="2026-03-01T07:00:00+07:00" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:vn="https://scpvn.example.vn/epcis/">
  <EPCISBody><EventList><ObjectEvent>
    <eventTime>2026-03-01T06:00:00+07:00</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
    <epcList><epc>https://id.gs1.org/01/09520123456788/21/A1</epc></epcList><action>OBSERVE</action>
    <vn:organic xsi:type="xs:boolean">true</vn:organic>
    <vn:crates xsi:type="xs:integer">12</vn:crates>
    <vn:moisture xsi:type="xs:double">12.5</vn:moisture>
    <vn:harvested xsi:type="xs:dateTime">2026-02-28T05:00:00+07:00</vn:harvested>
    <vn:grade>1</vn:grade>
  </ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>"""


def test_extension_types_follow_json_ld_native_types():
    """JSON-LD's native types are xsd:boolean, xsd:integer and xsd:double: XML saying so
    with xsi:type reads as a JSON boolean or number; untyped text and other types stay
    strings (text not of its type's form is refused by the XSD). Written back, the type is
    said again."""
    (event,) = read_xml_document(TYPED)["epcisBody"]["eventList"]
    assert event["vn:organic"] is True
    assert event["vn:crates"] == 12 and isinstance(event["vn:crates"], int)
    assert event["vn:moisture"] == 12.5
    assert event["vn:harvested"] == "2026-02-28T05:00:00+07:00"
    assert event["vn:grade"] == "1"
    document = read_xml_document(TYPED)
    again = etree.fromstring(epcis_document_xml(document))
    types = {
        etree.QName(e).localname: e.get(f"{{{XSI_NS}}}type")
        for e in again.iter()
        if isinstance(e.tag, str) and etree.QName(e).namespace == "https://scpvn.example.vn/epcis/"
    }
    assert types == {
        "organic": "xsd:boolean",
        "crates": "xsd:integer",
        "moisture": "xsd:double",
        "harvested": None,
        "grade": None,
    }
    refused = TYPED.replace(b">true<", b">maybe<")
    with pytest.raises(CaptureRefused):
        read_xml_document(refused)
    assert read_xml_document(epcis_document_xml(document))["epcisBody"] == document["epcisBody"]
