"""The EPCIS 2.0 XML binding: XML documents in, XML query answers out, one meaning.

Partners' systems still send EPCIS as XML (GS1's XSD, `standards/xsd/`). Capture does not get
a second path: an XML EPCISDocument (or EPCISQueryDocument) is parsed safely, validated against
the XSD, and turned into the JSON-LD document the standard's JSON binding would carry for the
same events; from there `capture_document` stores it all or nothing and names the bad event
and field, as for JSON. The other way, a stored event (its JSON-LD body) is written as the XML
the XSD describes, so an answer read as XML and captured elsewhere is the same event (same
CBV 2.0 event hash).

The correspondence is the standard's (EPCIS 2.0 §9 and §10): the event element's name is
`type`; lists are wrapper elements (`epcList/epc`, `bizTransactionList/bizTransaction@type`,
…); sensor metadata and reports are attributes; CBV values are URNs in XML
(`urn:epcglobal:cbv:bizstep:shipping`) or, for the sensor vocabularies, CURIEs of GS1's context
(`gs1:Temperature`, `gs1:ALARM_CONDITION`, `cbv:Comp-latitude`), and bare words in JSON-LD
(`shipping`, `Temperature`); user extensions are elements of their own namespace in XML and
`prefix:name` members in JSON-LD, the prefix declared in the document's `@context` (GS1's own
prefixes too when the XML binds them to the same IRI: the event hash substitutes only what
the document declares, as the reference does with XML namespaces).

Values of user extensions: XML text has no type, JSON has booleans and numbers. The mapping is
JSON-LD's (1.1 Processing Algorithms: a JSON boolean, integer or other number is an
xsd:boolean, xsd:integer or xsd:double literal, and those three read back as native JSON
values), said in XML with xsi:type as GS1's own XML examples do (`<ext1:int
xsi:type="xsd:integer">10</ext1:int>`). Any other text is a JSON string, xsi:type or not (JSON
has no date). GS1's and OpenEPCIS's JSON twins of their typed XML write strings ("10",
"true"): their converter drops xsi:type; a JSON document with `true` would not survive it.

What XML cannot say the same way (known, deliberate): JSON-LD has no attributes, so an
attribute of an extension element is a member and is written back as a child element; an
@context nested inside a JSON event is declared on the XML document element and reads back
in the document's @context. The header's master data (`EPCISHeader/extension/EPCISMasterData`)
becomes `epcisHeader.epcisMasterData`, which `masterdata.py` captures; the SBDH is not read.
`tests/test_xml_round_trip.py` holds every corpus document to "reads back the same" both ways.

Safety: the body is bounded (SCPVN_JSON_MAX_BYTES, as JSON bodies are), entities are never
expanded and nothing is fetched (no external DTD, no network); a document that declares
entities or an external DTD is refused before it is read (XXE, "billion laughs").
"""

import re
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from lxml import etree

from scpvn.trace.errors import CaptureRefused, TraceErrorCode
from scpvn.trace.eventhash import standard_prefixes, vocabulary_words
from scpvn.trace.validation import EVENT_TYPES

XSD_DIR = Path(__file__).resolve().parent / "standards" / "xsd"
EPCIS_NS = "urn:epcglobal:epcis:xsd:2"
QUERY_NS = "urn:epcglobal:epcis-query:xsd:2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
XML_TYPES = ("application/xml", "text/xml")
# Namespaces of the binding itself, never a user extension.
BINDING_NAMESPACES = frozenset(
    {EPCIS_NS, QUERY_NS, XSI_NS, "http://www.w3.org/2001/XMLSchema",
     "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"}
)  # fmt: skip

# CBV fields whose XML form is a URN: the URN prefix, keyed by (parent, field) as
# `vocabulary_words` keys them. The other vocabulary fields (sensor report type, exception,
# component) are written in XML as GS1's examples write them: the vocabulary URI as a CURIE
# of GS1's context (`gs1:Temperature`, `gs1:ALARM_CONDITION`, `cbv:Comp-latitude`).
CBV_URNS = {
    ("", "bizStep"): "urn:epcglobal:cbv:bizstep:",
    ("", "disposition"): "urn:epcglobal:cbv:disp:",
    ("persistentDisposition", "set"): "urn:epcglobal:cbv:disp:",
    ("persistentDisposition", "unset"): "urn:epcglobal:cbv:disp:",
    ("bizTransactionList", "type"): "urn:epcglobal:cbv:btt:",
    ("sourceList", "type"): "urn:epcglobal:cbv:sdt:",
    ("destinationList", "type"): "urn:epcglobal:cbv:sdt:",
    ("errorDeclaration", "reason"): "urn:epcglobal:cbv:er:",
}
# The prefixes of GS1's context that CBV values are written with in XML.
CBV_CURIES = {prefix: standard_prefixes()[prefix] for prefix in ("cbv", "gs1")}

SIMPLE = ("eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "certificationInfo",
          "action", "bizStep", "disposition", "parentID", "transformationID")  # fmt: skip
EPC_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
PARTY_LISTS = {"sourceList": "source", "destinationList": "destination"}
NUMBERS = frozenset({"value", "minValue", "maxValue", "sDev", "meanValue", "percRank",
                     "percValue"})  # fmt: skip
BOOLEANS = frozenset({"booleanValue"})
# A user extension's value: JSON-LD's native types are XML Schema's boolean, integer and
# double (JSON-LD 1.1 Processing Algorithms §8.6 and §8.5 with useNativeTypes), which XML
# says with xsi:type, as GS1's own XML examples do (`<ext1:int xsi:type="xsd:integer">`).
# Any other xsi:type (xsd:string, xsd:dateTime, …) is a string in JSON, as an untyped
# element is.
NATIVE_TYPES = {bool: "boolean", int: "integer", float: "double"}

# The XSD's sequences (EPCglobal-epcis-2_0.xsd): XML must follow them, JSON need not.
BASE_ORDER = ("eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "errorDeclaration",
              "certificationInfo")  # fmt: skip
TAIL = ("readPoint", "bizLocation", "bizTransactionList")
ORDER = {
    "ObjectEvent": ("epcList", "action", "bizStep", "disposition", *TAIL, "quantityList",
                    "sourceList", "destinationList", "sensorElementList",
                    "persistentDisposition", "ilmd"),
    "AggregationEvent": ("parentID", "childEPCs", "action", "bizStep", "disposition", *TAIL,
                         "childQuantityList", "sourceList", "destinationList",
                         "sensorElementList", "persistentDisposition"),
    "TransactionEvent": ("bizTransactionList", "parentID", "epcList", "action", "bizStep",
                         "disposition", "readPoint", "bizLocation", "quantityList",
                         "sourceList", "destinationList", "sensorElementList",
                         "persistentDisposition"),
    "TransformationEvent": ("inputEPCList", "inputQuantityList", "outputEPCList",
                            "outputQuantityList", "transformationID", "bizStep", "disposition",
                            *TAIL, "sourceList", "destinationList", "sensorElementList",
                            "persistentDisposition", "ilmd"),
    "AssociationEvent": ("parentID", "childEPCs", "childQuantityList", "action", "bizStep",
                         "disposition", *TAIL, "sourceList", "destinationList",
                         "sensorElementList", "persistentDisposition"),
}  # fmt: skip
SENSOR_METADATA = ("time", "deviceID", "deviceMetadata", "rawData", "startTime", "endTime",
                   "bizRules", "dataProcessingMethod")  # fmt: skip
SENSOR_REPORT = ("type", "value", "component", "stringValue", "booleanValue", "hexBinaryValue",
                 "uriValue", "uom", "minValue", "maxValue", "sDev", "chemicalSubstance",
                 "microorganism", "deviceID", "deviceMetadata", "rawData", "time", "meanValue",
                 "percRank", "percValue", "dataProcessingMethod", "coordinateReferenceSystem",
                 "exception")  # fmt: skip
NUMBER_RE = re.compile(r"[+-]?\d+")
# Namespace → the prefix GS1's JSON-LD context gives it; XML writes cbvmda without the colon.
STANDARD_NAMESPACES = {
    ns.rstrip(":"): prefix
    for prefix, ns in standard_prefixes().items()
    if ns.startswith(("http", "urn:")) and prefix not in ("epcis",)
}
XML_NAMESPACES = {"cbvmda": "urn:epcglobal:cbv:mda"}


def refused(detail: str, code: TraceErrorCode, status: int = 400, **where) -> CaptureRefused:
    return CaptureRefused(detail, code=code, status=status, **where)


@cache
def schemas() -> dict[str, etree.XMLSchema]:
    """The XSDs, read from the project's copy (their imports are relative files)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return {
        "EPCISDocument": etree.XMLSchema(
            etree.parse(str(XSD_DIR / "EPCglobal-epcis-2_0.xsd"), parser)
        ),
        "EPCISQueryDocument": etree.XMLSchema(
            etree.parse(str(XSD_DIR / "EPCglobal-epcis-query-2_0.xsd"), parser)
        ),
    }


# --- reading ----------------------------------------------------------------------------


def parse_xml(raw: bytes) -> etree._ElementTree:
    """Parse untrusted bytes: bounded, no entity expansion, no DTD or network fetch; refuse
    a document that declares entities or names an external DTD."""
    limit = settings.SCPVN_JSON_MAX_BYTES
    if len(raw) > limit:
        raise refused(
            f"Tài liệu XML lớn hơn {limit} byte.", TraceErrorCode.XML_TOO_LARGE, status=413
        )
    doctype = raw.find(b"<!DOCTYPE")
    if doctype != -1 and b"<!ENTITY" in raw[doctype:]:
        # refused before libxml2 reads the declarations (it would stop a "billion laughs"
        # with a syntax error; the refusal should say what it is)
        raise refused(
            "Tài liệu XML khai báo thực thể (ENTITY): không được nhận.",
            TraceErrorCode.XML_FORBIDDEN,
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.fromstring(raw, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise refused(
            f"Nội dung không phải XML hợp lệ: {exc}", TraceErrorCode.XML_MALFORMED
        ) from exc
    docinfo = tree.docinfo
    dtd = docinfo.internalDTD
    if docinfo.system_url or docinfo.public_id or (dtd is not None and any(dtd.iterentities())):
        raise refused(
            "Tài liệu XML khai báo thực thể (ENTITY) hoặc DTD bên ngoài: không được nhận.",
            TraceErrorCode.XML_FORBIDDEN,
        )
    if any(isinstance(node, etree._Entity) for node in tree.iter()):
        raise refused(
            "Tài liệu XML tham chiếu thực thể không khai báo: không được nhận.",
            TraceErrorCode.XML_FORBIDDEN,
        )
    return tree


def _local(element) -> str:
    return etree.QName(element).localname


def _event_elements(root) -> list:
    body = root.find("EPCISBody")
    if body is None:
        return []
    events = body.find("EventList")
    if events is None:
        results = body.find(f"{{{QUERY_NS}}}QueryResults")
        holder = results.find("resultsBody") if results is not None else None
        events = holder.find("EventList") if holder is not None else None
    if events is None:
        return []
    return [child for child in events if isinstance(child.tag, str)]


def check_xsd(tree: etree._ElementTree) -> str:
    """Validate against GS1's XSD; the refusal names the event (index, eventID) and field."""
    root = tree.getroot()
    kind = _local(root)
    if root.tag not in (f"{{{EPCIS_NS}}}EPCISDocument", f"{{{QUERY_NS}}}EPCISQueryDocument"):
        raise refused(
            "Chỉ nhận EPCISDocument hoặc EPCISQueryDocument của EPCIS 2.0 "
            f"(không gian tên {EPCIS_NS}), không phải {root.tag!r}",
            TraceErrorCode.XML_SCHEMA_INVALID,
            field="type",
        )
    schema = schemas()[kind]
    if schema.validate(tree):
        return kind
    error = schema.error_log.filter_from_errors()[0]
    where: dict[str, Any] = {}
    events = _event_elements(root)
    for index, event in enumerate(events):
        following = events[index + 1].sourceline if index + 1 < len(events) else None
        if event.sourceline <= error.line and (following is None or error.line < following):
            where["index"] = index
            where["event_id"] = (event.findtext("eventID") or "").strip()
            path = re.sub(r"\[\d+\]", "", error.path or "")
            segments = path.split("/")
            name = _local(event)
            if name in segments:
                where["field"] = ".".join(segments[segments.index(name) + 1 :])
            break
    raise refused(
        f"Không đúng lược đồ XML EPCIS 2.0 (dòng {error.line}): {error.message}",
        TraceErrorCode.XML_SCHEMA_INVALID,
        **where,
    )


class Reader:
    """One XML document to its JSON-LD form; collects the namespaces extensions use."""

    def __init__(self) -> None:
        self.prefixes: dict[str, str] = {}  # prefix → namespace, as @context will say
        self.by_namespace: dict[str, str] = {}

    def prefix_of(self, namespace: str, wanted: str | None) -> str:
        """The JSON-LD prefix of an XML namespace the document uses. A namespace GS1's
        context binds to the same IRI is declared again in the document's @context (an
        identical definition of a protected term is allowed): the event hash substitutes
        only what the document itself declares, as the reference does with the XML's own
        namespaces. The CBV's XML namespace for master data, `urn:epcglobal:cbv:mda`
        (the JSON-LD prefix `cbvmda` ends with `:`), is GS1's `cbvmda` and cannot be
        declared otherwise: it is left to GS1's context."""
        if namespace in self.by_namespace:
            return self.by_namespace[namespace]
        for prefix, iri in standard_prefixes().items():
            if iri == namespace and prefix not in self.prefixes:
                self.prefixes[prefix] = namespace
                self.by_namespace[namespace] = prefix
                return prefix
        standard = STANDARD_NAMESPACES.get(namespace.rstrip(":"))
        if standard:
            return standard
        base = wanted or "ns"
        prefix, n = base, 1
        while prefix in self.prefixes:
            n += 1
            prefix = f"{base}{n}"
        self.prefixes[prefix] = namespace
        self.by_namespace[namespace] = prefix
        return prefix

    def name(self, element_or_qname, prefix_hint: str | None = None) -> str:
        qname = etree.QName(element_or_qname)
        if not qname.namespace:
            return qname.localname
        return f"{self.prefix_of(qname.namespace, prefix_hint)}:{qname.localname}"

    def attr_name(self, element, key: str) -> str:
        qname = etree.QName(key)
        if not qname.namespace:
            return qname.localname
        hint = next((p for p, ns in element.nsmap.items() if ns == qname.namespace), None)
        return f"{self.prefix_of(qname.namespace, hint)}:{qname.localname}"

    # -- values ---------------------------------------------------------------------------
    def extension_value(self, element) -> Any:
        """A user extension element: text (a JSON boolean or number when xsi:type says
        so, see NATIVE_TYPES), or an object of its children (repeated names become a
        list); its own attributes, if any, are members too."""
        children = [c for c in element if isinstance(c.tag, str)]
        attributes = {
            self.attr_name(element, k): v
            for k, v in element.attrib.items()
            if etree.QName(k).namespace != XSI_NS
        }
        text = (element.text or "").strip()
        if not children and not attributes:
            return _typed(element, text)
        value: dict[str, Any] = dict(attributes)
        if text:
            value["#text"] = text
        self.add_members(value, children)
        return value

    def add_members(self, target: dict, children) -> None:
        for child in children:
            if _local(child) == "extension" and not etree.QName(child).namespace:
                # 1.x-style wrapper: its members belong to the parent
                self.add_members(target, [c for c in child if isinstance(c.tag, str)])
                continue
            key = self.name(child, child.prefix)
            value = self.extension_value(child)
            if key in target:
                if not isinstance(target[key], list):
                    target[key] = [target[key]]
                target[key].append(value)
            else:
                target[key] = value

    def sensor_attributes(self, element, parent: str) -> dict:
        found: dict[str, Any] = {}
        for key, value in element.attrib.items():
            name = self.attr_name(element, key)
            if etree.QName(key).namespace == XSI_NS:
                continue
            if name in NUMBERS:
                found[name] = _number(value)
            elif name in BOOLEANS:
                found[name] = value.strip() in ("true", "1")
            else:
                found[name] = from_cbv(parent, name, value.strip())
        text = (element.text or "").strip()
        if text:
            found["#text"] = text
        return found

    # -- events ---------------------------------------------------------------------------
    def event(self, element) -> dict:
        kind = _local(element)
        event: dict[str, Any] = {"type": kind}
        extensions: dict[str, Any] = {}
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = _local(child)
            if etree.QName(child).namespace:
                self.add_members(extensions, [child])
            elif name in ("extension", "baseExtension"):
                self.add_members(extensions, [c for c in child if isinstance(c.tag, str)])
            elif name in SIMPLE:
                event[name] = from_cbv("", name, _text(child))
            elif name in EPC_LISTS:
                event[name] = [_text(epc) for epc in child.iterfind("epc")]
            elif name in QUANTITY_LISTS:
                event[name] = [self.quantity(q) for q in child.iterfind("quantityElement")]
            elif name in ("readPoint", "bizLocation"):
                place: dict[str, Any] = {"id": child.findtext("id", "").strip()}
                self.add_members(place, [c for c in child if c.tag != "id"])
                event[name] = place
            elif name == "bizTransactionList":
                event[name] = [
                    {
                        **({"type": from_cbv(name, "type", t)} if (t := b.get("type")) else {}),
                        "bizTransaction": _text(b),
                    }
                    for b in child.iterfind("bizTransaction")
                ]
            elif name in PARTY_LISTS:
                member = PARTY_LISTS[name]
                event[name] = [
                    {"type": from_cbv(name, "type", p.get("type", "")), member: _text(p)}
                    for p in child.iterfind(member)
                ]
            elif name == "sensorElementList":
                event[name] = [self.sensor(s) for s in child.iterfind("sensorElement")]
            elif name == "persistentDisposition":
                event[name] = {
                    part: [from_cbv(name, part, _text(v)) for v in child.iterfind(part)]
                    for part in ("set", "unset")
                    if child.find(part) is not None
                }
            elif name == "ilmd":
                ilmd: dict[str, Any] = {}
                self.add_members(ilmd, [c for c in child if isinstance(c.tag, str)])
                event[name] = ilmd
            elif name == "errorDeclaration":
                event[name] = self.error_declaration(child)
            else:  # the XSD admits nothing else; kept rather than lost
                self.add_members(extensions, [child])
        event.update(extensions)
        return event

    def quantity(self, element) -> dict:
        found: dict[str, Any] = {"epcClass": element.findtext("epcClass", "").strip()}
        quantity = element.find("quantity")
        if quantity is not None and quantity.text and quantity.text.strip():
            found["quantity"] = _number(quantity.text)
        uom = element.findtext("uom")
        if uom:
            found["uom"] = uom.strip()
        return found

    def sensor(self, element) -> dict:
        found: dict[str, Any] = {}
        metadata = element.find("sensorMetadata")
        if metadata is not None:
            found["sensorMetadata"] = self.sensor_attributes(metadata, "sensorMetadata")
        found["sensorReport"] = [
            self.sensor_attributes(r, "sensorReport") for r in element.iterfind("sensorReport")
        ]
        self.add_members(
            found,
            [
                c
                for c in element
                if isinstance(c.tag, str) and c.tag not in ("sensorMetadata", "sensorReport")
            ],
        )
        return found

    def error_declaration(self, element) -> dict:
        found: dict[str, Any] = {}
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = _local(child)
            if etree.QName(child).namespace or name == "extension":
                self.add_members(found, [child])
            elif name == "correctiveEventIDs":
                found[name] = [_text(c) for c in child.iterfind("correctiveEventID")]
            else:
                found[name] = from_cbv("errorDeclaration", name, _text(child))
        return found

    def declare(self, nsmap: dict) -> None:
        """Prefixes the document element declares but no element uses: values may (a sensor
        type `example:Abc`). GS1's own prefixes are left to GS1's context."""
        for prefix, namespace in nsmap.items():
            if (
                prefix
                and namespace not in BINDING_NAMESPACES
                and prefix not in standard_prefixes()
                and prefix not in self.prefixes
                and namespace not in self.by_namespace
                and namespace.rstrip(":") not in STANDARD_NAMESPACES
            ):
                self.prefixes[prefix] = namespace
                self.by_namespace[namespace] = prefix

    def master_data(self, root) -> list[dict] | None:
        """`EPCISHeader/extension/EPCISMasterData/VocabularyList` as JSON-LD's vocabularyList."""
        found = root.find("EPCISHeader/extension/EPCISMasterData/VocabularyList")
        if found is None:
            return None
        vocabularies = []
        for vocabulary in found.iterfind("Vocabulary"):
            elements = []
            for element in vocabulary.iterfind("VocabularyElementList/VocabularyElement"):
                item: dict[str, Any] = {"id": element.get("id", "")}
                attributes = []
                for attribute in element.iterfind("attribute"):
                    children = [c for c in attribute if isinstance(c.tag, str)]
                    if children:
                        value: Any = {}
                        self.add_members(value, children)
                    else:
                        value = (attribute.text or "").strip()
                    attributes.append({"id": attribute.get("id", ""), "attribute": value})
                if attributes:
                    item["attributes"] = attributes
                children_list = element.find("children")
                if children_list is not None:
                    item["children"] = [_text(c) for c in children_list.iterfind("id")]
                elements.append(item)
            vocabularies.append(
                {"type": vocabulary.get("type", ""), "vocabularyElementList": elements}
            )
        return vocabularies

    def context(self) -> list:
        return [EPCIS_CONTEXT, *({prefix: ns} for prefix, ns in self.prefixes.items())]


def _text(element) -> str:
    return (element.text or "").strip()


def _typed(element, text: str) -> Any:
    """The text of an extension element as the JSON value its xsi:type names; the text
    itself when it has none, names another type or is not of that type's lexical form."""
    declared = element.get(f"{{{XSI_NS}}}type")
    if not declared:
        return text
    prefix, _, local = declared.strip().rpartition(":")
    if element.nsmap.get(prefix or None) != XSD_NS:
        return text
    if local == "boolean" and text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    try:
        if local == "integer" and NUMBER_RE.fullmatch(text):
            return int(text)
        if local == "double" and text not in ("INF", "-INF", "+INF", "NaN"):
            return float(text)
    except ValueError:
        pass
    return text


def _number(text: str) -> int | float:
    text = text.strip()
    return int(text) if NUMBER_RE.fullmatch(text) else float(text)


@cache
def _words_of(parent: str, name: str) -> dict[str, str]:
    """Web URI → bare word, for the CBV words a field may hold."""
    return {uri: word for word, uri in vocabulary_words().get((parent, name), {}).items()}


def from_cbv(parent: str, name: str, value: str) -> str:
    """A CBV value in any of XML's forms (URN `urn:epcglobal:cbv:bizstep:shipping`, Web URI
    `https://ref.gs1.org/cbv/BizStep-shipping`, CURIE `cbv:BizStep-shipping`, `gs1:Speed`)
    → the JSON-LD bare word, for a word the CBV defines for that field (and for any term
    of GS1's Web vocabulary, `gs1:`); anything else unchanged. The XSD types these values
    as anyURI, not QName: `gs1:` and `cbv:` are GS1's prefixes whatever the document binds
    them to as XML namespaces (as the reference hash implementation reads them)."""
    words = vocabulary_words().get((parent, name))
    if not words:
        return value
    urn = CBV_URNS.get((parent, name))
    if urn and value.startswith(urn) and value[len(urn) :] in words:
        return value[len(urn) :]
    prefix, sep, rest = value.partition(":")
    base = CBV_CURIES.get(prefix) if sep else None
    uri = base + rest if base else value
    word = _words_of(parent, name).get(uri)
    if word is None and uri.startswith(CBV_CURIES["gs1"]):
        # GS1's JSON schema refuses a gs1.org/voc IRI: the word is all JSON can say (and
        # refuses it, as it refuses the same word in a JSON document)
        word = uri[len(CBV_CURIES["gs1"]) :]
    return word or value


def to_cbv(parent: str, name: str, value: Any) -> Any:
    """JSON-LD bare CBV word → the XML form (URN, or GS1 CURIE for the sensor fields)."""
    words = vocabulary_words().get((parent, name))
    if not words or not isinstance(value, str):
        return value
    urn = CBV_URNS.get((parent, name))
    uri = words.get(value)
    if uri is None:  # not a CBV word: as given
        return value
    if urn:
        return urn + value
    for prefix, base in CBV_CURIES.items():
        if uri.startswith(base):
            return f"{prefix}:{uri[len(base) :]}"
    return uri


def read_xml_document(raw: bytes) -> dict:
    """An XML EPCISDocument or EPCISQueryDocument as the JSON-LD EPCISDocument that carries
    the same events, ready for `capture_document`; CaptureRefused (4xx, stable code, nothing
    stored) when it is not safe, not well formed or not valid against GS1's XSD."""
    tree = parse_xml(raw)
    kind = check_xsd(tree)
    root = tree.getroot()
    reader = Reader()
    events = []
    for element in _event_elements(root):
        if _local(element) == "extension":  # EventList/extension: ##other events, none known
            continue
        if _local(element) not in EVENT_TYPES:
            raise refused(
                f"Loại sự kiện không được hỗ trợ: {_local(element)!r}",
                TraceErrorCode.XML_SCHEMA_INVALID,
                index=len(events),
                field="type",
            )
        events.append(reader.event(element))
    master = reader.master_data(root)
    reader.declare(root.nsmap)
    document: dict[str, Any] = {
        "@context": reader.context(),
        "type": "EPCISDocument",
        "schemaVersion": root.get("schemaVersion", "2.0"),
        "creationDate": root.get("creationDate"),
        "epcisBody": {"eventList": events},
    }
    if master is not None:
        document["epcisHeader"] = {"epcisMasterData": {"vocabularyList": master}}
        document = {
            k: document[k]
            for k in (
                "@context",
                "type",
                "schemaVersion",
                "creationDate",
                "epcisHeader",
                "epcisBody",
            )
        }
    if kind == "EPCISQueryDocument":
        document["type"] = "EPCISDocument"  # captured as the events it carries
    if not document["creationDate"]:
        del document["creationDate"]
    return document


# --- writing ----------------------------------------------------------------------------


class Writer:
    """JSON-LD events to EPCIS 2.0 XML elements; namespaces from the captures' @context."""

    def __init__(self, contexts: list) -> None:
        self.prefixes = {**standard_prefixes(), **XML_NAMESPACES}
        # every prefix the captures declared, declared again in XML: values use them too
        self.used: dict[str, str] = {}
        self.declare(contexts)

    def declare(self, contexts: Any) -> None:
        """The prefixes an @context declares, declared again in XML: values use them too."""
        for entry in contexts if isinstance(contexts, list) else [contexts]:
            if isinstance(entry, dict):
                declared = {
                    k: v
                    for k, v in entry.items()
                    if isinstance(v, str)
                    and re.fullmatch(r"[A-Za-z_][\w.-]*", k)
                    and re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", v)
                    and v not in BINDING_NAMESPACES
                }
                self.prefixes.update(declared)
                for prefix, namespace in declared.items():
                    self.used.setdefault(prefix, namespace)

    def qname(self, key: str) -> str | None:
        """`prefix:local` → Clark name `{namespace}local`; None when it cannot be one."""
        prefix, sep, local = key.partition(":")
        if not sep or not local or prefix not in self.prefixes:
            return None
        namespace = self.prefixes[prefix]
        if not re.fullmatch(r"[A-Za-z_][\w.-]*", local) or namespace in BINDING_NAMESPACES:
            return None
        self.used.setdefault(prefix, namespace)
        return f"{{{namespace}}}{local}"

    def text(self, element, value: Any) -> None:
        if isinstance(value, bool):
            element.text = "true" if value else "false"
        elif value is None:
            element.text = ""
        else:
            element.text = str(value)

    def typed_text(self, element, value: Any) -> None:
        """An extension's scalar: JSON booleans and numbers keep their type as xsi:type."""
        kind = NATIVE_TYPES.get(type(value))
        if kind:
            self.used.setdefault("xsi", XSI_NS)
            xsd = next((p for p, ns in self.used.items() if ns == XSD_NS), None)
            if xsd is None:
                xsd = "xsd" if "xsd" not in self.used else "xs"
                self.used[xsd] = XSD_NS
            element.set(f"{{{XSI_NS}}}type", f"{xsd}:{kind}")
        self.text(element, value)

    def extension(self, parent, key: str, value: Any, nested: bool = False) -> None:
        name = self.qname(key)
        if name is None and nested and re.fullmatch(r"[A-Za-z_][\w.-]*", key):
            name = key  # inside an extension element, unqualified children are allowed
        if name is None:
            return
        for item in value if isinstance(value, list) else [value]:
            element = etree.SubElement(parent, name)
            if isinstance(item, dict):
                if "#text" in item:
                    self.text(element, item["#text"])
                for k, v in item.items():
                    if k != "#text" and not k.startswith("@"):
                        self.extension(element, k, v, nested=True)
            else:
                self.typed_text(element, item)

    def extensions(self, parent, body: dict, known) -> None:
        for key, value in body.items():
            if key not in known and key != "type" and not key.startswith("@"):
                self.extension(parent, key, value)

    def attributes(self, element, body: dict, names, parent: str) -> None:
        for key, value in body.items():
            if key == "#text":
                self.text(element, value)
                continue
            if key in names or re.fullmatch(r"[A-Za-z_][\w.-]*", key):
                name = key
            else:
                name = self.qname(key)
                if name is None:
                    continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            value = str(to_cbv(parent, key, value))
            prefix = value.partition(":")[0]
            if prefix in CBV_CURIES and value != str(body[key]):  # a CURIE of GS1's context
                self.used.setdefault(prefix, CBV_CURIES[prefix])
            element.set(name, value)

    def event(self, parent, body: dict) -> None:
        """One event; an @context of its own (JSON-LD allows one) declares its prefixes for
        this event only. XML declares them on the document element: the event reads back
        with them in the document's @context."""
        if "@context" not in body:
            self._event(parent, body)
            return
        outer = dict(self.prefixes)
        self.declare(body["@context"])
        try:
            self._event(parent, body)
        finally:
            self.prefixes = outer

    def _event(self, parent, body: dict) -> None:
        kind = body.get("type")
        element = etree.SubElement(parent, kind)
        order = BASE_ORDER + ORDER[kind]
        for name in order:
            if name not in body:
                continue
            value = body[name]
            if name in SIMPLE:
                etree.SubElement(element, name).text = str(to_cbv("", name, value))
            elif name in EPC_LISTS:
                holder = etree.SubElement(element, name)
                for epc in value:
                    etree.SubElement(holder, "epc").text = epc
            elif name in QUANTITY_LISTS:
                holder = etree.SubElement(element, name)
                for item in value:
                    q = etree.SubElement(holder, "quantityElement")
                    etree.SubElement(q, "epcClass").text = item.get("epcClass", "")
                    if "quantity" in item:
                        self.text(etree.SubElement(q, "quantity"), item["quantity"])
                        if "uom" in item:
                            etree.SubElement(q, "uom").text = item["uom"]
            elif name in ("readPoint", "bizLocation"):
                place = etree.SubElement(element, name)
                etree.SubElement(place, "id").text = value.get("id", "")
                self.extensions(place, value, {"id"})
            elif name == "bizTransactionList":
                holder = etree.SubElement(element, name)
                for item in value:
                    b = etree.SubElement(holder, "bizTransaction")
                    if "type" in item:
                        b.set("type", to_cbv(name, "type", item["type"]))
                    b.text = item.get("bizTransaction", "")
            elif name in PARTY_LISTS:
                member = PARTY_LISTS[name]
                holder = etree.SubElement(element, name)
                for item in value:
                    p = etree.SubElement(holder, member)
                    p.set("type", to_cbv(name, "type", item.get("type", "")))
                    p.text = item.get(member, "")
            elif name == "sensorElementList":
                holder = etree.SubElement(element, name)
                for sensor in value:
                    s = etree.SubElement(holder, "sensorElement")
                    if "sensorMetadata" in sensor:
                        self.attributes(
                            etree.SubElement(s, "sensorMetadata"),
                            sensor["sensorMetadata"],
                            SENSOR_METADATA,
                            "sensorMetadata",
                        )
                    for report in sensor.get("sensorReport", []):
                        self.attributes(
                            etree.SubElement(s, "sensorReport"),
                            report,
                            SENSOR_REPORT,
                            "sensorReport",
                        )
                    self.extensions(s, sensor, {"sensorMetadata", "sensorReport"})
            elif name == "persistentDisposition":
                holder = etree.SubElement(element, name)
                for part in ("unset", "set"):
                    for word in value.get(part, []):
                        etree.SubElement(holder, part).text = to_cbv(name, part, word)
            elif name == "ilmd":
                holder = etree.SubElement(element, name)
                self.extensions(holder, value, set())
            elif name == "errorDeclaration":
                holder = etree.SubElement(element, name)
                for part in ("declarationTime", "reason"):
                    if part in value:
                        etree.SubElement(holder, part).text = to_cbv(
                            "errorDeclaration", part, value[part]
                        )
                if value.get("correctiveEventIDs"):
                    ids = etree.SubElement(holder, "correctiveEventIDs")
                    for event_id in value["correctiveEventIDs"]:
                        etree.SubElement(ids, "correctiveEventID").text = event_id
                self.extensions(holder, value, {"declarationTime", "reason", "correctiveEventIDs"})
        self.extensions(element, body, set(order))


def _root(tag: str, writer: Writer, build) -> bytes:
    """Build the tree with a scratch root, then re-create it with the namespaces it used
    declared once on the document element."""
    scratch = etree.Element(tag)
    build(scratch, writer)
    nsmap = {
        ("epcisq" if tag.startswith(f"{{{QUERY_NS}}}") else "epcis"): etree.QName(tag).namespace
    }
    for prefix, namespace in writer.used.items():
        if prefix not in nsmap and namespace not in nsmap.values():
            nsmap[prefix] = namespace
    root = etree.Element(tag, nsmap=nsmap)
    root.attrib.update(scratch.attrib)
    root.extend(list(scratch))
    etree.cleanup_namespaces(root, top_nsmap=nsmap, keep_ns_prefixes=list(nsmap))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def query_document_xml(document: dict) -> bytes:
    """The JSON-LD EPCISQueryDocument of `repository.query_document` as EPCIS 2.0 XML."""
    results = document["epcisBody"]["queryResults"]
    writer = Writer(document.get("@context", []))

    def build(root, writer: Writer) -> None:
        root.set("schemaVersion", str(document.get("schemaVersion", "2.0")))
        if document.get("creationDate"):
            root.set("creationDate", document["creationDate"])
        body = etree.SubElement(root, "EPCISBody")
        holder = etree.SubElement(body, f"{{{QUERY_NS}}}QueryResults")
        etree.SubElement(holder, "queryName").text = results.get("queryName", "")
        if results.get("subscriptionID"):
            etree.SubElement(holder, "subscriptionID").text = results["subscriptionID"]
        events = etree.SubElement(etree.SubElement(holder, "resultsBody"), "EventList")
        for event in results["resultsBody"]["eventList"]:
            writer.event(events, event)

    return _root(f"{{{QUERY_NS}}}EPCISQueryDocument", writer, build)


def epcis_document_xml(document: dict) -> bytes:
    """A JSON-LD EPCISDocument as EPCIS 2.0 XML (for tests and exports)."""
    writer = Writer(document.get("@context", []))

    def build(root, writer: Writer) -> None:
        root.set("schemaVersion", str(document.get("schemaVersion", "2.0")))
        if document.get("creationDate"):
            root.set("creationDate", document["creationDate"])
        events = etree.SubElement(etree.SubElement(root, "EPCISBody"), "EventList")
        for event in document["epcisBody"]["eventList"]:
            writer.event(events, event)

    return _root(f"{{{EPCIS_NS}}}EPCISDocument", writer, build)
