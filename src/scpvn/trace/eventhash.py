"""The CBV 2.0 event hash ID (CBV 2.0 §8.9): a fingerprint that names an event without an ID.

Two systems that hash the same event get the same `ni:///sha-256;…?ver=CBV2.0`, so a capture
that left out `eventID` can still be queried by ID later, and a partner who de-duplicates by
event ID sees one event. That only holds if every detail of the pre-hash string is the one
GS1's reference implementation (github.com/RalphTro/epcis-event-hash-generator, named by CBV
2.0 §8.9) computes, so this module follows the reference's observable behaviour, written
independently and tested against its published vectors and its output on other partners'
documents (`tests/test_eventhash_conformance.py`):

- The event becomes a tree of (name, value, children); names `prefix:local` whose prefix
  the document's top-level @context declares become `{namespace}local`, and so do values.
- Bare CBV words are expanded when JSON-LD expansion of the document turns them into a
  GS1 vocabulary URI (https://ref.gs1.org/cbv/…, https://gs1.org/voc/…): any string value
  of the document equal to the last segment of exactly one such URI is replaced by it.
- The standard fields come first in the canonical order below, each `name=value`, repeated
  elements sorted; timestamps (fields named …time…) in UTC at millisecond precision; values
  through `canonical_value` (CBV URNs as Web URIs, numbers without trailing zeros, GS1 keys
  as constrained canonical Digital Link URIs).
- Everything else — ILMD, user extensions, the business transaction, source and destination
  lists, non-JSON values such as booleans (written as Python writes them: `True`), nested
  @context objects, leftovers of a standard field — follows in one block of rendered
  strings sorted together. User extensions of readPoint, bizLocation and the sensor
  structures whose namespace ends with `/` close their parent instead.
- recordTime, eventID, errorDeclaration, comments and the fields a document lists under
  `…:ignoreFields` (the reference's convention for fields a repository adds) do not count.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from scpvn.trace.identifiers import hash_form

STANDARDS = Path(__file__).resolve().parent / "standards"
# GS1's EPCIS 2.0.0 JSON-LD context with the CBV vocabularies inlined (as published at
# https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld): which bare words a
# JSON-LD processor expands, and to what.
INLINE_CONTEXT = STANDARDS / "epcis-context-2.0.0-inline.jsonld"
GS1_VOCABULARIES = ("https://ref.gs1.org/cbv", "https://gs1.org/voc")

QUANTITY = (("quantityElement", (("epcClass", None), ("quantity", None), ("uom", None))),)
SENSOR_METADATA = tuple(
    (name, None)
    for name in (
        "time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
        "dataProcessingMethod", "bizRules",
    )
)  # fmt: skip
SENSOR_REPORT = tuple(
    (name, None)
    for name in (
        "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod",
        "time", "microorganism", "chemicalSubstance", "value", "component", "stringValue",
        "booleanValue", "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue",
        "sDev", "percRank", "percValue", "uom", "coordinateReferenceSystem",
    )
)  # fmt: skip
EPC = (("epc", None),)
# The canonical property order: (name, order of its children or None for a value).
# bizTransactionList, sourceList and destinationList are listed by CBV 2.0 but the
# reference renders them with the trailing block, which is where they go here too.
Order = tuple[tuple[str, Any], ...]
ORDER: Order = (
    ("eventTime", None),
    ("eventTimeZoneOffset", None),
    ("certificationInfo", None),
    ("parentID", None),
    ("epcList", EPC),
    ("inputEPCList", EPC),
    ("childEPCs", EPC),
    ("quantityList", QUANTITY),
    ("childQuantityList", QUANTITY),
    ("inputQuantityList", QUANTITY),
    ("outputEPCList", EPC),
    ("outputQuantityList", QUANTITY),
    ("action", None),
    ("transformationID", None),
    ("bizStep", None),
    ("disposition", None),
    ("persistentDisposition", (("set", None), ("unset", None))),
    ("readPoint", (("id", None),)),
    ("bizLocation", (("id", None),)),
    (
        "sensorElementList",
        (
            (
                "sensorElement",
                (("sensorMetadata", SENSOR_METADATA), ("sensorReport", SENSOR_REPORT)),
            ),
        ),
    ),
)
ORDER_NAMES = tuple(name for name, _sub in ORDER)
QUANTITY_FIELDS = ("epcClass", "quantity", "uom")
PAIRED_LISTS = {"bizTransactionList", "sourceList", "destinationList"}
# The fields `Hasher.plain_prehash` writes directly, by the shape their value must have.
PLAIN_SHAPES = {
    **dict.fromkeys(
        ("eventTime", "eventTimeZoneOffset", "certificationInfo", "parentID", "action",
         "transformationID", "bizStep", "disposition"),
        "value",
    ),
    **dict.fromkeys(("epcList", "inputEPCList", "childEPCs", "outputEPCList"), "epcs"),
    **dict.fromkeys(
        ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"),
        "quantities",
    ),
    "readPoint": "place",
    "bizLocation": "place",
    **dict.fromkeys(PAIRED_LISTS, "pairs"),
}  # fmt: skip
PAIRED = {"bizTransaction", "source", "destination"}
NOT_HASHED = {"recordTime", "eventID", "type", "errorDeclaration"}
NEVER_READ = {"#text", "rdfs:comment", "comment"}
URN_VOCABULARY = (
    ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
    ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
)


@dataclass(slots=True, eq=False)
class Node:
    name: str
    value: str = ""
    children: list["Node"] = field(default_factory=list)
    paired: bool = False  # a business transaction, source or destination: two nodes, as given


@cache
def _inline_context() -> dict:
    return json.loads(INLINE_CONTEXT.read_text())["@context"]


@cache
def standard_prefixes() -> dict[str, str]:
    return {k: v for k, v in _inline_context().items() if isinstance(v, str) and ":" in v}


@cache
def vocabulary_words() -> dict[tuple[str, str], dict[str, str]]:
    """(parent field, field) → {bare word: URI} for the fields the context types as
    vocabulary ("" as parent: anywhere)."""
    context = _inline_context()
    prefixes = standard_prefixes()

    def words(definition: Any) -> dict[str, str]:
        scoped = definition.get("@context", {}) if isinstance(definition, dict) else {}
        found: dict[str, str] = {}
        for part in scoped if isinstance(scoped, list) else [scoped]:
            for word, curie in part.items() if isinstance(part, dict) else ():
                if isinstance(curie, str) and not word.startswith("@") and ":" in curie:
                    prefix, rest = curie.split(":", 1)
                    found[word] = prefixes.get(prefix, prefix + ":") + rest
        return found

    sensor = context["sensorElementList"]["@context"]["sensorReport"]["@context"]
    disposition = words(context["persistentDisposition"])
    table = {
        ("", "bizStep"): words(context["bizStep"]),
        ("", "disposition"): words(context["disposition"]),
        ("persistentDisposition", "set"): disposition,
        ("persistentDisposition", "unset"): disposition,
        ("sensorReport", "type"): words(sensor["type"]),
        ("sensorReport", "exception"): words(sensor["exception"]),
        ("sensorReport", "component"): words(sensor["component"]),
        ("errorDeclaration", "reason"): words(context["errorDeclaration"]["@context"]["reason"]),
    }
    for name in PAIRED_LISTS:
        table[(name, "type")] = words(context[name]["@context"]["type"])
    return table


def context_prefixes(context: Any) -> dict[str, str]:
    """Prefixes that the document's own top-level @context declares (a list, as EPCIS
    requires): the only ones the reference substitutes in names and values."""
    prefixes: dict[str, str] = {}
    if isinstance(context, list):
        for entry in context:
            if isinstance(entry, dict):
                prefixes.update({k: v for k, v in entry.items() if isinstance(v, str)})
    return prefixes


def _strings(value: Any, parent: str, key: str, found: list[tuple[str, str, str]]) -> None:
    """Every string value with the field that holds it and that field's parent, added to
    `found` (a plain walk: nested generators were a quarter of hashing a long document)."""
    if isinstance(value, str):
        found.append((parent, key, value))
    elif isinstance(value, list):
        for item in value:
            _strings(item, parent, key, found)
    elif isinstance(value, dict):
        for child_key, child in value.items():
            _strings(child, key, child_key, found)


class Hasher:
    """Hashes the events of one document: what JSON-LD expansion of the whole document
    says about bare words, its namespace prefixes and ignored fields are worked out once."""

    def __init__(self, document: dict | None = None, context: Any = None) -> None:
        document = document or {}
        context = document.get("@context", context)
        self.prefixes = context_prefixes(context)
        self.ignored = frozenset(_ignore_fields(document))
        self.bare: dict[str, set[str]] = {}
        self._leaves: dict[tuple[str, Any], str] = {}
        for uri in self._vocabulary_uris(document):
            for i, char in enumerate(uri):
                if char in "-/":
                    self.bare.setdefault(uri[i + 1 :], set()).add(uri)

    def _vocabulary_uris(self, document: dict) -> set[str]:
        words = vocabulary_words()
        prefixes = {**standard_prefixes(), **self.prefixes}
        found = set()
        strings: list[tuple[str, str, str]] = []
        _strings(document, "", "", strings)
        for parent, key, value in strings:
            table = words.get((parent, key)) or words.get(("", key))
            if table is not None:
                if value in table:
                    value = table[value]
                elif ":" in value and value.split(":", 1)[0] in prefixes:
                    prefix, rest = value.split(":", 1)
                    value = prefixes[prefix] + rest
            if value.startswith(GS1_VOCABULARIES):
                found.add(value)
        return found

    def add_vocabulary(self, event: dict) -> None:
        """For an event hashed on its own: what its own vocabulary fields expand to."""
        self._leaves.clear()  # written with fewer bare words known
        for uri in self._vocabulary_uris(event):
            for i, char in enumerate(uri):
                if char in "-/":
                    self.bare.setdefault(uri[i + 1 :], set()).add(uri)

    # -- the event as a tree -------------------------------------------------------------
    def _name(self, key: str) -> str:
        prefix, sep, local = key.partition(":")
        if sep and prefix in self.prefixes:
            return "{" + self.prefixes[prefix] + "}" + local
        return key

    def _text(self, value: Any) -> str:
        if isinstance(value, str):
            matches = self.bare.get(value)
            if matches is not None and len(matches) == 1:
                value = next(iter(matches))
            prefix, sep, rest = value.partition(":")
            if sep and prefix in self.prefixes:
                return self.prefixes[prefix] + rest
            return value
        return str(value)  # True, 12.5, None: as the reference's Python writes them

    def _node(self, key: str, value: Any, ignored: frozenset[str] = frozenset()) -> list[Node]:
        """The nodes a JSON member makes: one, or one per element of a list."""
        name = self._name(key)
        if isinstance(value, list):
            return [n for item in value for n in self._node(key, item)]
        if isinstance(value, dict):
            children = [
                n
                for k, v in value.items()
                if k not in NEVER_READ and k not in ignored
                for n in self._node(k, v)
            ]
            text = self._text(value["#text"]) if "#text" in value else ""
            return [Node(name, text, children)]
        return [Node(name, self._text(value))]

    def tree(self, event: dict) -> list[Node]:
        return _reshape(self._node("", event, self.ignored)[0]).children

    def prehash(self, event: dict) -> str:
        plain = self.plain_prehash(event)
        return plain if plain is not None else self.tree_prehash(event)

    def tree_prehash(self, event: dict) -> str:
        """The pre-hash string of any event, through its tree."""
        children = self.tree(event)
        ordered = _ordered(children, ORDER)
        rest = _block([c for c in children if c.name not in NOT_HASHED])
        return f"eventType={self._text(event.get('type', ''))}{ordered}{rest}"

    # -- the usual event, written directly -------------------------------------------------
    def plain_prehash(self, event: dict) -> str | None:
        """The pre-hash string `tree_prehash` makes, written without the tree for an event of
        standard fields in their usual shapes (words, identifier and quantity lists, places
        by id, business transactions, sources and destinations); None for any other, which
        the tree handles. Building and reshaping the tree was most of a bulk capture's
        hashing; the two are compared on every shape in the tests."""
        if not isinstance(event.get("type", ""), str) or not self.ignored.isdisjoint(event):
            return None
        rendered: dict[str, str] = {}
        block: list[str] = []
        for name, value in event.items():
            if name in NOT_HASHED:
                continue
            shape = PLAIN_SHAPES.get(name)
            if shape == "value" and isinstance(value, str):
                rendered[name] = self._leaf(name, value)
            elif shape == "place" and _only(value, {"id"}):
                inner = self._leaf("id", value["id"])
                rendered[name] = name + inner if inner else ""
            elif shape == "epcs" and isinstance(value, list):
                if not all(isinstance(epc, str) for epc in value):
                    return None
                inner = "".join(sorted(filter(None, (self._leaf("epc", epc) for epc in value))))
                rendered[name] = name + inner if inner else ""
            elif shape == "quantities" and isinstance(value, list):
                if not all(_plain_quantity(element) for element in value):
                    return None
                inner = "".join(sorted(filter(None, map(self._quantity, value))))
                rendered[name] = name + inner if inner else ""
            elif shape == "pairs" and isinstance(value, list):
                if not all(_only(element, {"type", name[:-4]}) for element in value):
                    return None
                if value:
                    block.append(name + "".join(sorted(map(self._pair, value))))
            else:
                return None
        if len(block) > 1:
            block.sort()
        ordered = "".join(rendered[name] for name in ORDER_NAMES if name in rendered)
        return f"eventType={self._text(event.get('type', ''))}{ordered}{''.join(block)}"

    def _leaf(self, name: str, value: Any) -> str:
        """`name=value` as `_known` writes a field without children ("" when empty);
        remembered for the document, which repeats its words, places, lots and offsets."""
        key = (name, value)
        try:
            return self._leaves[key]
        except KeyError:
            leaf = self._leaves[key] = self._new_leaf(name, value)
            return leaf

    def _new_leaf(self, name: str, value: Any) -> str:
        text = self._text(value).strip()
        if not text:
            return ""
        lower = name.lower()
        if "time" in lower and "offset" not in lower:
            return f"{name}={canonical_time(text)}"
        return f"{name}={canonical_value(text)}"

    def _quantity(self, element: dict) -> str:
        inner = "".join(self._leaf(key, element[key]) for key in QUANTITY_FIELDS if key in element)
        return "quantityElement" + inner if inner else ""

    def _pair(self, element: dict) -> str:
        """A business transaction, source or destination as `_block` writes its pair."""
        parts = []
        for key, value in element.items():
            text = self._text(value).strip()
            parts.append(key + ("=" + canonical_value(text) if text else ""))
        return "".join(parts)

    def hash_id(self, event: dict) -> str:
        digest = hashlib.sha256(self.prehash(event).encode("utf-8")).hexdigest()
        return f"ni:///sha-256;{digest}?ver=CBV2.0"


def _only(value: Any, names: set[str]) -> bool:
    """A JSON object of some of `names`, each a string (`names` all, for a place)."""
    return (
        isinstance(value, dict)
        and (set(value) == names if len(names) == 1 else bool(value) and set(value) <= names)
        and all(isinstance(v, str) for v in value.values())
    )


def _plain_quantity(element: Any) -> bool:
    """A quantity element as the schema has it: its class, and a number and unit if any."""
    return (
        isinstance(element, dict)
        and isinstance(element.get("epcClass"), str)
        and set(element) <= set(QUANTITY_FIELDS)
        and type(element.get("quantity", 0)) in (int, float)
        and isinstance(element.get("uom", ""), str)
    )


def _ignore_fields(document: dict) -> list[str]:
    places = [document]
    body = document.get("epcisBody")
    if isinstance(body, dict) and isinstance(body.get("queryResults"), dict):
        places.append(body["queryResults"])
    for place in places:
        for key, value in place.items():
            if (key == "ignoreFields" or key.endswith(":ignoreFields")) and isinstance(value, list):
                return [v for v in value if isinstance(v, str)]
    return []


def _reshape(node: Node) -> Node:
    """JSON lists become the XML binding's structure: `epcList` holds `epc` elements,
    `quantityList` holds `quantityElement`s, a business transaction is a pair of nodes.

    Only the binding's own (unqualified) names: a user extension is the same element in
    both bindings, so `example:resourceList` keeps its children as they are, which is what
    the reference computes from XML (its JSON reading would add a `resource` level that
    the XML has not; no published vector or corpus document has such a JSON member)."""
    grouped: dict[str, list[Node]] = {}
    children: list[Node] = []
    child_epcs: list[Node] = []
    for child in node.children:
        if child.name.endswith("List") and ":" not in child.name and "{" not in child.name:
            grouped.setdefault(child.name, []).append(
                Node(child.name[:-4], child.value, child.children)
            )
        elif child.name == "childEPCs":
            child_epcs.append(Node("epc", child.value))
        else:
            children.append(_reshape(child))
    for name, elements in grouped.items():
        if name in PAIRED_LISTS:
            pairs = [Node("", "", e.children[:2], paired=True) for e in elements]
            children.append(Node(name, "", pairs))
        else:
            children.append(_reshape(Node(name, "", elements)))
    if child_epcs:
        children.append(Node("childEPCs", "", child_epcs))
    name = node.name
    if name in ("inputEPC", "outputEPC"):
        name = "epc"
    elif name in ("inputQuantity", "outputQuantity", "childQuantity") or (
        name == "quantity" and node.children
    ):
        name = "quantityElement"
    return Node(name, node.value, children)


def _ordered(children: list[Node], order: Order) -> str:
    """The fields of `order` that are present, in that order, same-named ones sorted; then
    the parent's namespaced extensions. What is rendered leaves the tree; a field that keeps
    unknown children stays, and those render again in the trailing block."""
    extensions = _extensions(children)
    by_name: dict[str, list[Node]] = {}
    for child in children:
        by_name.setdefault(child.name, []).append(child)
    parts = []
    done: set[int] = set()
    for name, sub in order:
        rendered = []
        for child in by_name.get(name, ()):
            text = _known(child, sub)
            if text:
                rendered.append(text)
            if not child.children:
                done.add(id(child))
        parts.extend(sorted(rendered))
    if done:
        children[:] = [c for c in children if id(c) not in done]
    return "".join(parts) + (_block(extensions) if extensions else "")


def _extensions(children: list[Node]) -> list[Node]:
    """User extensions inside readPoint, bizLocation and the sensor structures (namespace
    ending with `/`), taken out to close their parent. None at event level."""
    if len(children) <= 1 or any(
        "eventTime" in c.name or "action" in c.name for c in children if not c.paired
    ):
        return []
    found = [c for c in children if not c.paired and "{" in c.name and "/}" in c.name]
    if found:
        children[:] = [c for c in children if c not in found]
    return found


def _known(node: Node, sub: Order | None) -> str:
    inner = _ordered(node.children, sub) if sub else ""
    text = node.value.strip()
    if text:
        lower = node.name.lower()
        text = "=" + (
            canonical_time(text)
            if "time" in lower and "offset" not in lower
            else canonical_value(text)
        )
    return node.name + text + inner if text or inner else ""


def _block(nodes: list[Node]) -> str:
    """Fields outside the canonical order: name, `=value`, children; sorted as strings,
    except the two parts of a business transaction, source or destination."""
    parts = []
    for node in nodes:
        if node.paired:
            parts.append(_block(node.children))
            continue
        text = node.value.strip()
        parts.append(
            node.name + ("=" + canonical_value(text) if text else "") + _block(node.children)
        )
    if len(nodes) > 1 and not any(n.name in PAIRED for n in nodes):
        parts.sort()
    return "".join(parts)


def canonical_time(value: str) -> str:
    """UTC with millisecond precision (half to even), as written in the pre-hash string."""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    millis = round(moment.microsecond / 1000)
    m = moment.replace(microsecond=0) + dt.timedelta(milliseconds=millis)
    # strftime("%Y-%m-%dT%H:%M:%S"), written out: strftime was a tenth of hashing an event
    return (
        f"{m.year}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
        f".{m.microsecond // 1000:03d}Z"
    )


# What a string float() reads may start with (after spaces): a sign, a digit (any script's:
# the others are not ASCII), a point, or inf/nan. Anything else is not tried: the refusal's
# exception was a fifth of hashing an event.
NUMBER_START = frozenset("0123456789+-.iInN")


@lru_cache(maxsize=65536)
def canonical_value(text: str) -> str:
    """CBV URNs as Web URIs; anything Python reads as a number without trailing zeros (as
    the reference does, a long digit string goes through a float too); GS1 keys as the
    constrained canonical Digital Link URI. Memoised: a document repeats its words, places
    and quantities from event to event."""
    if "urn:epcglobal:cbv:" in text:
        for urn, web in URN_VOCABULARY:
            text = text.replace(urn, web)
    if not text or text[0] in NUMBER_START or text[0].isspace() or not text[0].isascii():
        try:
            number = float(text)
            text = str(int(number)) if int(number) == number else str(number)
        except (ValueError, OverflowError):
            pass
    return hash_form(text) or text


def event_hash_id(event: dict, context: Any = None, document: dict | None = None) -> str:
    """`ni:///sha-256;<hex>?ver=CBV2.0` of one event; give the whole document when there is
    one (bare words and ignored fields are a matter of the document)."""
    hasher = Hasher(document, context)
    if document is None:
        hasher.add_vocabulary(event)
    return hasher.hash_id(event)


def prehash_string(event: dict, context: Any = None) -> str:
    hasher = Hasher(None, context)
    hasher.add_vocabulary(event)
    return hasher.prehash(event)


def document_events(document: dict) -> list[dict]:
    """The events of a capture document, a query document or a single-event body."""
    body = document.get("epcisBody", {})
    if "eventList" in body:
        return body["eventList"]
    if "queryResults" in body:
        return body["queryResults"]["resultsBody"]["eventList"]
    return [body["event"]] if "event" in body else []


def document_prehashes(document: dict) -> list[str]:
    hasher = Hasher(document)
    return [hasher.prehash(event) for event in document_events(document)]


def document_event_hashes(document: dict) -> list[str]:
    hasher = Hasher(document)
    return [hasher.hash_id(event) for event in document_events(document)]
