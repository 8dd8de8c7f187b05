"""EPCIS master data (vocabularies): capture from a document's header, and the query
parameters that use it.

An `EPCISDocument` may carry `epcisHeader.epcisMasterData.vocabularyList`: for each
vocabulary type (BusinessLocation, ReadPoint, EPCClass, …) a list of elements, each with an
id, attributes (`{"id": <attribute IRI>, "attribute": <value>}`) and children (the ids of
the elements directly below it in the hierarchy). Capture stores them in the same
transaction as the document's events (all or nothing; a bad element is refused by name).
When an element is described again, the latest capture wins attribute by attribute
(every value of an attribute it names replaces the stored values of that attribute;
attributes it does not name are kept) and, if it lists children, its children.

Identifiers are stored the way the events' columns hold them, so a query compares like with
like: places and classes in their canonical Digital Link form (`identifiers.py`), business
steps and dispositions as their bare CBV word. Attribute names are full IRIs: a CURIE is
expanded by the document's @context and the EPCIS context's own prefixes (`cbvmda:sst` is
`urn:epcglobal:cbv:mda:sst`).

Queries (EPCIS 2.0 §8.2.7.1):
- `WD_readPoint`, `WD_bizLocation`: the place or any place below it, through the children
  of the ReadPoint / BusinessLocation vocabulary, transitively, cycles ignored, within
  MAX_DEPTH levels and MAX_DESCENDANTS places;
- `HASATTR_{field}`: the field's value has master data with one of the named attributes;
- `EQATTR_{field}_{attribute}` (the query schema spells it `EQ_ATTR_…`): … with that
  attribute equal to one of the values.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from scpvn.trace.errors import CaptureRefused, TraceErrorCode
from scpvn.trace.eventfields import as_number, as_text, expand, prefixes, short_type
from scpvn.trace.identifiers import GS1Key, InvalidIdentifier, gln_uri, parse_location
from scpvn.trace.models import (
    Capture,
    EventEPC,
    ExtensionPrefix,
    VocabularyAttribute,
    VocabularyChild,
    VocabularyElement,
)
from scpvn.trace.validation import EventError

VTYPE = "urn:epcglobal:epcis:vtype:"
# Event fields whose values are vocabulary elements, with their vocabulary type.
FIELD_VOCABULARIES = {
    "readPoint": "ReadPoint",
    "bizLocation": "BusinessLocation",
    "bizStep": "BusinessStep",
    "disposition": "Disposition",
    "epcClass": "EPCClass",
}
# Vocabularies whose element ids are short CBV words in the events' columns.
CBV_WORDS = {"BusinessStep": "bizstep", "Disposition": "disp"}
# Top-level resources of the REST binding (event column) whose members master data describes.
RESOURCE_VOCABULARIES = {
    "biz_location": "BusinessLocation",
    "read_point": "ReadPoint",
    "biz_step": "BusinessStep",
    "disposition": "Disposition",
}
CLASS_ROLES = ["epc_class", "child_class", "input_class", "output_class"]
# The prefixes the EPCIS 2.0 JSON-LD context itself defines (epcis-context-root.jsonld).
CONTEXT_PREFIXES = {
    "epcis": "https://ref.gs1.org/epcis/",
    "cbv": "https://ref.gs1.org/cbv/",
    "cbvmda": "urn:epcglobal:cbv:mda:",
    "gs1": "https://gs1.org/voc/",
}
MAX_DEPTH = 32
MAX_DESCENDANTS = 2000
TEXT_LENGTH = 512
ATTRIBUTE_PARAM = re.compile(r"(HASATTR|EQATTR|EQ_ATTR)_(.+)")
HEADER = "epcisHeader.epcisMasterData.vocabularyList"


@dataclass
class ParsedElement:
    """A vocabulary element of a document, checked, with its identifiers canonical."""

    where: str  # its place in the document, for problems
    vtype: str
    uri: str
    key: GS1Key
    attributes: list[tuple[str, object]] = field(default_factory=list)
    children: list[str] | None = None


def vocabulary_type(value: str, namespaces: dict[str, str]) -> str:
    """The vocabulary type as its URN, whichever way it was written (`BusinessLocation`,
    a CURIE, or the URN)."""
    value = expand(value, {**CONTEXT_PREFIXES, **namespaces})
    for marker in (VTYPE, "https://ref.gs1.org/epcis/vtype/", "https://ref.gs1.org/epcis/"):
        if value.startswith(marker):
            return VTYPE + value[len(marker) :]
    return VTYPE + value if re.fullmatch(r"[A-Za-z]+", value) else value


def attribute_name(name: str, namespaces: dict[str, str]) -> str:
    """An attribute IRI: CURIE expanded; CBV's `urn:epcglobal:cbv:mda#x` is `…mda:x`."""
    name = expand(name, {**CONTEXT_PREFIXES, **namespaces})
    return re.sub(r"^urn:epcglobal:cbv:mda#", "urn:epcglobal:cbv:mda:", name)


def element_uri(vtype: str, value: str) -> tuple[str, GS1Key]:
    """An element id in the form the events' columns hold (InvalidIdentifier if bad)."""
    if not isinstance(value, str):
        raise InvalidIdentifier("định danh phải là chuỗi URI")
    key = parse_location(value)
    word = CBV_WORDS.get(vtype.removeprefix(VTYPE))
    return (short_type(word, key.uri) if word else key.uri), key


def _refuse(where: str, detail: str) -> EventError:
    return EventError(f"Dữ liệu chủ (master data) không hợp lệ: {detail}", field=where)


def parse_master_data(document: dict) -> list[ParsedElement]:
    """Every vocabulary element of the document's header, or EventError naming the first
    bad one (its place in the document and its id). The schema has been checked."""
    header = document.get("epcisHeader")
    master = header.get("epcisMasterData") if isinstance(header, dict) else None
    vocabularies = master.get("vocabularyList") if isinstance(master, dict) else None
    namespaces = prefixes(document.get("@context", []))
    parsed: list[ParsedElement] = []
    for i, vocabulary in enumerate(vocabularies or []):
        vtype = vocabulary_type(vocabulary["type"], namespaces)
        for j, element in enumerate(vocabulary.get("vocabularyElementList") or []):
            where = f"{HEADER}[{i}].vocabularyElementList[{j}]"
            try:
                uri, key = element_uri(vtype, element["id"])
            except InvalidIdentifier as exc:
                raise _refuse(f"{where}.id", f"{element['id']!r}: {exc}") from exc
            item = ParsedElement(where, vtype, uri, key)
            for k, attribute in enumerate(element.get("attributes") or []):
                name = attribute_name(attribute["id"], namespaces)
                if len(name) > 400:
                    raise _refuse(f"{where}.attributes[{k}].id", f"{element['id']}: tên quá dài")
                item.attributes.append((name, attribute.get("attribute")))
            if "children" in element:
                item.children = []
                for k, child in enumerate(element["children"]):
                    try:
                        item.children.append(element_uri(vtype, child)[0])
                    except InvalidIdentifier as exc:
                        raise _refuse(
                            f"{where}.children[{k}]", f"{element['id']} → {child!r}: {exc}"
                        ) from exc
            parsed.append(item)
    return parsed


def check_master_data_scope(scope, document: dict) -> None:
    """An enterprise describes only its own places and products (a GLN or GTIN in its
    scope); those who capture for anyone describe anything. `scope` is the capture Scope."""
    elements = parse_master_data(document)
    if scope.unrestricted:
        return
    for item in elements:
        if not (item.key.gln in scope.glns or item.key.gtin in scope.gtins):
            raise CaptureRefused(
                f"{item.uri}: bạn chỉ được khai báo dữ liệu chủ cho địa điểm (GLN) hoặc sản "
                "phẩm (GTIN) của doanh nghiệp mình",
                field=f"{item.where}.id",
                status=403,
                code=TraceErrorCode.MASTER_DATA_OUT_OF_SCOPE,
            )


def _attribute_row(element_id: int, name: str, value) -> VocabularyAttribute:
    scalar = value if not isinstance(value, dict | list) else None
    return VocabularyAttribute(
        element_id=element_id,
        name=name,
        text=as_text(scalar)[:TEXT_LENGTH] if scalar is not None else "",
        number=as_number(scalar) if scalar is not None else None,
        value=value,
    )


def store_master_data(elements: list[ParsedElement], capture: Capture) -> int:
    """Write the parsed elements (latest wins, see the module's text); part of the
    capture's transaction. Returns how many elements were written."""
    if not elements:
        return 0
    with transaction.atomic():
        for item in elements:
            element, created = VocabularyElement.objects.get_or_create(
                vtype=item.vtype, uri=item.uri, defaults={"capture": capture}
            )
            if not created:
                element.capture = capture
                element.save(update_fields=["capture", "updated_at"])
            names = {name for name, _value in item.attributes}
            if names and not created:
                element.attributes.filter(name__in=names).delete()
            VocabularyAttribute.objects.bulk_create(
                [_attribute_row(element.pk, name, value) for name, value in item.attributes]
            )
            if item.children is not None:
                if not created:
                    element.children.all().delete()
                VocabularyChild.objects.bulk_create(
                    [
                        VocabularyChild(parent=element, uri=uri)
                        for uri in dict.fromkeys(item.children)
                    ]
                )
    return len(elements)


# --- Queries -------------------------------------------------------------------------------


def descendants(field_name: str, uris: list[str]) -> set[str]:
    """The places themselves and every place below them in the field's vocabulary (ReadPoint
    for readPoint, BusinessLocation for bizLocation). ValueError beyond the bounds."""
    vtype = VTYPE + FIELD_VOCABULARIES[field_name]
    found, frontier = set(uris), set(uris)
    for _level in range(MAX_DEPTH):
        children = set(
            VocabularyChild.objects.filter(
                parent__vtype=vtype, parent__uri__in=sorted(frontier)
            ).values_list("uri", flat=True)
        )
        frontier = children - found
        found |= frontier
        if len(found) > MAX_DESCENDANTS:
            raise ValueError(
                f"WD_{field_name}: hơn {MAX_DESCENDANTS} địa điểm con; hãy hỏi một nhánh nhỏ hơn"
            )
        if not frontier:
            return found
    raise ValueError(f"WD_{field_name}: phân cấp sâu hơn {MAX_DEPTH} tầng")


def _names(name: str, namespaces: dict[str, str]) -> set[str]:
    """The stored attribute names a name in a query may mean: expanded by the query's own
    prefixes and the EPCIS context's, else by those of every captured document."""
    names = {attribute_name(name, namespaces), name}
    prefix, _, local = name.partition(":")
    if prefix not in namespaces and prefix not in CONTEXT_PREFIXES and not local.startswith("//"):
        for iri in ExtensionPrefix.objects.filter(prefix=prefix).values_list("iri", flat=True):
            names.add(attribute_name(iri + local, {}))
    return names


def _split(rest: str) -> tuple[str, str]:
    """`bizLocation_cbvmda:sst` → (bizLocation, cbvmda:sst)."""
    for name in FIELD_VOCABULARIES:
        if rest.startswith(name + "_") and len(rest) > len(name) + 1:
            return name, rest[len(name) + 1 :]
    raise ValueError(
        f"EQATTR_: trường {rest.partition('_')[0]!r} không có dữ liệu chủ "
        f"(chỉ {', '.join(FIELD_VOCABULARIES)})"
    )


def _events_with(field_name: str, elements) -> Q:
    """Events whose field holds one of the elements (a subquery on their uri)."""
    uris = elements.values("uri")
    if field_name == "epcClass":
        links = EventEPC.objects.filter(role__in=CLASS_ROLES, uri__in=uris)
        return Q(pk__in=links.values("event_id"))
    column = {
        "readPoint": "read_point",
        "bizLocation": "biz_location",
        "bizStep": "biz_step",
        "disposition": "disposition",
    }[field_name]
    return Q(**{f"{column}__in": uris})


def attribute_condition(name: str, values: list[str], namespaces: dict[str, str]) -> Q | None:
    """HASATTR_/EQATTR_ as a condition on events; None for any other parameter. ValueError
    for one that cannot be answered."""
    match = ATTRIBUTE_PARAM.fullmatch(name)
    if not match:
        return None
    kind, rest = match.groups()
    if kind == "HASATTR":
        if rest not in FIELD_VOCABULARIES:
            raise ValueError(
                f"HASATTR_: trường {rest!r} không có dữ liệu chủ (chỉ {', '.join(FIELD_VOCABULARIES)})"
            )
        field_name = rest
        names = set().union(*(_names(v, namespaces) for v in values)) if values else set()
        attributes = VocabularyAttribute.objects.filter(name__in=sorted(names))
    else:
        field_name, attribute = _split(rest)
        numbers = [n for n in (as_number(v) for v in values) if n is not None]
        attributes = VocabularyAttribute.objects.filter(
            Q(text__in=values) | Q(number__in=numbers),
            name__in=sorted(_names(attribute, namespaces)),
        )
    elements = VocabularyElement.objects.filter(
        vtype=VTYPE + FIELD_VOCABULARIES[field_name], pk__in=attributes.values("element_id")
    )
    return _events_with(field_name, elements)


def described(column: str, scope) -> set[str]:
    """The members of /epcis/bizLocations, /readPoints, /bizSteps, /dispositions that master
    data knows, events or not: all of them to those who read everything; to an enterprise,
    its own places (its GLNs and their sub-locations) only."""
    vocabulary = RESOURCE_VOCABULARIES.get(column)
    if vocabulary is None:
        return set()
    elements = VocabularyElement.objects.filter(vtype=VTYPE + vocabulary)
    if not scope.unrestricted:
        if column not in ("biz_location", "read_point") or not scope.glns:
            return set()
        own = Q()
        for gln in scope.glns:
            own |= Q(uri=gln_uri(gln)) | Q(uri__startswith=gln_uri(gln) + "/254/")
        elements = elements.filter(own)
    return set(elements.values_list("uri", flat=True))
