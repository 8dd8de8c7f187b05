"""The CBV 2.0 event hash ID (CBV 2.0 §8.9): a fingerprint that names an event without an ID.

Two systems that hash the same event get the same `ni:///sha-256;…?ver=CBV2.0`, whichever
syntax the event travelled in, so a capture that left out `eventID` can still be queried
by ID later. The pre-hash string is: `eventType=…`, then the standard fields in the
canonical order below, each as `name=value` (lists: the name once, then the sorted
elements), values canonicalised (times in UTC at millisecond precision, numbers without
trailing zeros, CBV bare words as their Web URIs, EPC URNs as canonical GS1 Digital Link
URIs), then user extensions as `{namespace}name=value`, sorted. recordTime, eventID and
errorDeclaration do not take part.
"""

import datetime as dt
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from scpvn.trace.identifiers import InvalidIdentifier, parse_identifier

QUANTITY = ("quantityElement", ("epcClass", "quantity", "uom"))
SENSOR_METADATA = (
    "time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
    "dataProcessingMethod", "bizRules",
)  # fmt: skip
SENSOR_REPORT = (
    "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod",
    "time", "microorganism", "chemicalSubstance", "value", "component", "stringValue",
    "booleanValue", "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev",
    "percRank", "percValue", "uom", "coordinateReferenceSystem",
)  # fmt: skip
# (field, element name for lists or None, sub-fields for objects or None)
ORDER: tuple[tuple[str, str | None, Any], ...] = (
    ("eventTime", None, None),
    ("eventTimeZoneOffset", None, None),
    ("certificationInfo", None, None),
    ("parentID", None, None),
    ("epcList", "epc", None),
    ("inputEPCList", "epc", None),
    ("childEPCs", "epc", None),
    ("quantityList", *QUANTITY),
    ("childQuantityList", *QUANTITY),
    ("inputQuantityList", *QUANTITY),
    ("outputEPCList", "epc", None),
    ("outputQuantityList", *QUANTITY),
    ("action", None, None),
    ("transformationID", None, None),
    ("bizStep", None, None),
    ("disposition", None, None),
    ("persistentDisposition", None, ("set", "unset")),
    ("readPoint", None, ("id",)),
    ("bizLocation", None, ("id",)),
    ("bizTransactionList", "", ("type", "bizTransaction")),
    ("destinationList", "", ("type", "destination")),
    ("sourceList", "", ("type", "source")),
)
IGNORED = {
    "type",
    "eventID",
    "recordTime",
    "errorDeclaration",
    "@context",
    "rdfs:comment",
    "comment",
}
# Bare CBV words and the Web vocabulary they stand for, by the field that holds them.
VOCABULARY = {
    "bizStep": "https://ref.gs1.org/cbv/BizStep-",
    "disposition": "https://ref.gs1.org/cbv/Disp-",
    "set": "https://ref.gs1.org/cbv/Disp-",
    "unset": "https://ref.gs1.org/cbv/Disp-",
    "bizTransactionList.type": "https://ref.gs1.org/cbv/BTT-",
    "sourceList.type": "https://ref.gs1.org/cbv/SDT-",
    "destinationList.type": "https://ref.gs1.org/cbv/SDT-",
    "sensorReport.type": "https://gs1.org/voc/",
    "sensorReport.exception": "https://gs1.org/voc/",
    "sensorReport.component": "https://ref.gs1.org/cbv/Comp-",
}
URN_VOCABULARY = {
    "urn:epcglobal:cbv:bizstep:": "https://ref.gs1.org/cbv/BizStep-",
    "urn:epcglobal:cbv:disp:": "https://ref.gs1.org/cbv/Disp-",
    "urn:epcglobal:cbv:btt:": "https://ref.gs1.org/cbv/BTT-",
    "urn:epcglobal:cbv:sdt:": "https://ref.gs1.org/cbv/SDT-",
    "urn:epcglobal:cbv:er:": "https://ref.gs1.org/cbv/ER-",
}
STANDARD_CONTEXT = Path(__file__).resolve().parent / "standards" / "epcis-context-root.jsonld"


@cache
def standard_prefixes() -> dict[str, str]:
    context = json.loads(STANDARD_CONTEXT.read_text())["@context"]
    return {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", ":", "#"))}


def context_prefixes(context: Any) -> dict[str, str]:
    """Namespace prefixes declared by a document's @context, on top of the standard ones."""
    prefixes = dict(standard_prefixes())
    for entry in context if isinstance(context, list) else [context]:
        if isinstance(entry, dict):
            prefixes.update({k: v for k, v in entry.items() if isinstance(v, str)})
    return prefixes


def canonical_time(value: str) -> str:
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)
    millis = round(moment.microsecond / 1000)
    moment = moment.replace(microsecond=0) + dt.timedelta(milliseconds=millis)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def canonical_value(value: Any, where: str = "", prefixes: dict[str, str] | None = None) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    text = str(value).strip()
    if where.split(".")[-1].lower().endswith("time") and "offset" not in where.lower():
        try:
            return canonical_time(text)
        except ValueError:
            return text
    for urn, web in URN_VOCABULARY.items():
        if text.startswith(urn):
            return web + text[len(urn) :]
    if where in VOCABULARY and text and ":" not in text:
        return VOCABULARY[where] + text
    if text.startswith(("urn:epc:", "http://", "https://")):
        try:
            return parse_identifier(text).uri
        except InvalidIdentifier:
            return text
    if prefixes and ":" in text:
        prefix, rest = text.split(":", 1)
        if prefix in prefixes and not rest.startswith("//"):
            return prefixes[prefix] + rest
    return text


def _name(key: str, prefixes: dict[str, str]) -> str:
    if ":" in key:
        prefix, local = key.split(":", 1)
        if prefix in prefixes:
            return "{" + prefixes[prefix] + "}" + local
    return key


def _generic(key: str, value: Any, prefixes: dict[str, str]) -> list[str]:
    """Extensions and fields outside the canonical order: name, value, sorted children."""
    name = _name(key, prefixes)
    if isinstance(value, list):
        return sorted(s for item in value for s in _generic(key, item, prefixes))
    if isinstance(value, dict):
        children = sorted(
            s for k, v in value.items() if k not in IGNORED for s in _generic(k, v, prefixes)
        )
        return [name + "".join(children)]
    return [f"{name}={canonical_value(value, key, prefixes)}"]


def _extensions(obj: dict, known: set[str], prefixes: dict[str, str]) -> str:
    return "".join(
        sorted(
            s
            for k, v in obj.items()
            if k not in known and k not in IGNORED
            for s in _generic(k, v, prefixes)
        )
    )


def _fields(obj: dict, fields: tuple[str, ...], where: str, prefixes: dict[str, str]) -> str:
    parts = []
    for field in fields:
        if field in obj and obj[field] not in (None, ""):
            scope = (
                f"{where}.{field}"
                if where and field in ("type", "exception", "component")
                else field
            )
            parts.append(f"{field}={canonical_value(obj[field], scope, prefixes)}")
    return "".join(parts)


def _sensor_elements(elements: list, prefixes: dict[str, str]) -> str:
    rendered = []
    for element in elements:
        text = "sensorElement"
        if "sensorMetadata" in element:
            meta = element["sensorMetadata"]
            text += "sensorMetadata" + _fields(meta, SENSOR_METADATA, "sensorMetadata", prefixes)
            text += _extensions(meta, set(SENSOR_METADATA), prefixes)
        reports = [
            "sensorReport"
            + _fields(report, SENSOR_REPORT, "sensorReport", prefixes)
            + _extensions(report, set(SENSOR_REPORT), prefixes)
            for report in element.get("sensorReport", [])
        ]
        text += "".join(sorted(reports))
        text += _extensions(element, {"sensorMetadata", "sensorReport"}, prefixes)
        rendered.append(text)
    return "sensorElementList" + "".join(sorted(rendered)) if rendered else ""


def prehash_string(event: dict, context: Any = None) -> str:
    prefixes = context_prefixes(context)
    parts = [f"eventType={event['type']}"]
    for field, element, sub in ORDER:
        value = event.get(field)
        if value in (None, "", [], {}):
            continue
        if element is None and sub is None:
            values = value if isinstance(value, list) else [value]
            parts.append(
                "".join(sorted(f"{field}={canonical_value(v, field, prefixes)}" for v in values))
            )
        elif element is None:
            inner = _fields(value, sub, "", prefixes) + _extensions(value, set(sub), prefixes)
            if inner:
                parts.append(field + inner)
        elif sub is None:
            parts.append(
                field
                + "".join(
                    sorted(f"{element}={canonical_value(v, element, prefixes)}" for v in value)
                )
            )
        else:
            scope = field if element == "" else element
            items = sorted(
                element
                + _fields(item, sub, scope, prefixes)
                + _extensions(item, set(sub), prefixes)
                for item in value
            )
            parts.append(field + "".join(items))
    if event.get("sensorElementList"):
        parts.append(_sensor_elements(event["sensorElementList"], prefixes))
    known = {field for field, _, _ in ORDER} | {"sensorElementList"}
    parts.append(_extensions(event, known, prefixes))
    return "".join(parts)


def event_hash_id(event: dict, context: Any = None) -> str:
    """`ni:///sha-256;<hex>?ver=CBV2.0` of the event's pre-hash string."""
    digest = hashlib.sha256(prehash_string(event, context).encode("utf-8")).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"
