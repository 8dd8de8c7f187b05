"""The event fields that the query interface filters on beyond the indexed event columns,
flattened to (name, text, number) rows of `EventField`.

EPCIS 2.0 lets a query name business transactions, sources and destinations by type, error
declarations, persistent dispositions, sensor reports, ILMD and any extension field, at any
nesting depth. Rather than walking each event's JSON at query time (a full scan), capture
writes one row per such value, and every parameter becomes one indexed lookup on
(name, text) or (name, number), the same plan on SQLite and PostgreSQL.

Row names:
- ``bizTransaction|<type>``, ``source|<type>``, ``destination|<type>`` (CBV type as a bare word);
- ``transformationID``, ``persistentDisposition|set`` / ``|unset``, ``quantity|<uom>``;
- ``errorDeclaration|declarationTime`` / ``|reason`` / ``|correctiveEventID``;
- ``sensorElementList`` (present), ``sensor|<field>`` and ``sensor|<field>|<uom>`` for the
  standard fields of sensor metadata and reports;
- ``ext|<section>|<iri>`` for an extension field: section is the query parameter's infix
  (``""``, ``ILMD_``, ``ERROR_DECLARATION_``, ``SENSORELEMENT_``, ``SENSORMETADATA_``,
  ``SENSORREPORT_``, ``readPoint_``, ``bizLocation_``), prefixed with ``INNER_`` for a field
  nested inside another extension field; the name is the full IRI when the document's
  @context defines its prefix, else as written.
"""

import datetime as dt
import re
from collections.abc import Iterator

from scpvn.trace.identifiers import canonical
from scpvn.trace.validation import parse_time

CBV_TYPE_PREFIXES = {
    "btt": ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-", "cbv:BTT-"),
    "sdt": ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-", "cbv:SDT-"),
    "er": ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-", "cbv:ER-"),
    "disp": ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-", "cbv:Disp-"),
    "bizstep": ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-", "cbv:BizStep-"),
    "measurement": ("https://gs1.org/voc/", "https://www.gs1.org/voc/", "gs1:"),
}
# Sensor fields the query names directly (EQ_type, EQ_deviceID, GE_time, …).
SENSOR_TEXT = (
    "type", "deviceID", "dataProcessingMethod", "microorganism", "chemicalSubstance",
    "bizRules", "stringValue", "hexBinaryValue", "uriValue", "booleanValue",
)  # fmt: skip
SENSOR_TIME = ("time", "startTime", "endTime")
SENSOR_BY_UOM = ("value", "minValue", "maxValue", "meanValue", "sDev", "percValue")
URI_FIELDS = {"deviceID", "dataProcessingMethod", "microorganism", "chemicalSubstance",
              "bizRules", "uriValue"}  # fmt: skip
SECTIONS = {
    "ilmd": "ILMD_",
    "errorDeclaration": "ERROR_DECLARATION_",
    "readPoint": "readPoint_",
    "bizLocation": "bizLocation_",
}
TEXT_LENGTH = 512
NUMBER_RE = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")

Row = tuple[str, str, float | None]


def short_type(kind: str, value: str) -> str:
    """A CBV vocabulary value as its bare word, whichever form (URN, web URI, CURIE) came in."""
    for prefix in CBV_TYPE_PREFIXES[kind]:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def as_number(value) -> float | None:
    """The number a value stands for in GT/GE/LT/LE comparisons: a JSON number, a numeric
    string, or a date-time (as seconds since the epoch); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        if NUMBER_RE.fullmatch(value):
            return float(value)
        if len(value) >= 10 and value[4:5] == "-":
            try:
                moment = parse_time(value)
            except ValueError:
                return None
            return moment.timestamp()
    if isinstance(value, dt.datetime):
        return value.timestamp()
    return None


def as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[:TEXT_LENGTH]


def prefixes(context) -> dict[str, str]:
    """The namespace prefixes a JSON-LD @context defines (its object entries)."""
    entries = context if isinstance(context, list) else [context]
    found: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry, dict):
            found.update({k: v for k, v in entry.items() if isinstance(v, str) and ":" in v})
    return found


def expand(name: str, namespaces: dict[str, str]) -> str:
    prefix, _, local = name.partition(":")
    if prefix in namespaces and not local.startswith("//"):
        return namespaces[prefix] + local
    return name


def is_extension(key: str) -> bool:
    return ":" in key and not key.startswith("@")


def _extension_rows(section: str, key: str, value, namespaces: dict, inner: bool) -> Iterator[Row]:
    name = f"ext|{'INNER_' if inner else ''}{section}|{expand(key, namespaces)}"
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            yield name, "", None
            for child_key, child in item.items():
                if is_extension(child_key):
                    yield from _extension_rows(section, child_key, child, namespaces, True)
        elif item is not None:
            yield name, as_text(item), as_number(item)


def _extensions(section: str, body: dict, namespaces: dict) -> Iterator[Row]:
    for key, value in body.items():
        if is_extension(key):
            yield from _extension_rows(section, key, value, namespaces, False)


def _sensor_rows(fields: dict) -> Iterator[Row]:
    for field in SENSOR_TEXT:
        if field in fields:
            value = fields[field]
            if field == "type":
                value = short_type("measurement", str(value))
            elif field in URI_FIELDS:
                value = canonical(str(value))
            yield f"sensor|{field}", as_text(value), None
    for field in SENSOR_TIME:
        if field in fields:
            yield f"sensor|{field}", as_text(fields[field]), as_number(fields[field])
    if "percRank" in fields:
        yield "sensor|percRank", as_text(fields["percRank"]), as_number(fields["percRank"])
    uom = fields.get("uom", "")
    for field in SENSOR_BY_UOM:
        if field in fields:
            yield f"sensor|{field}|{uom}", as_text(fields[field]), as_number(fields[field])


def event_fields(body: dict, context) -> list[Row]:
    """Every (name, text, number) row the query interface may look up for this event."""
    namespaces = prefixes(context)
    rows: list[Row] = []
    for entry in body.get("bizTransactionList") or []:
        if entry.get("type") and entry.get("bizTransaction"):
            name = f"bizTransaction|{short_type('btt', entry['type'])}"
            rows.append((name, canonical(entry["bizTransaction"])[:TEXT_LENGTH], None))
    for kind in ("source", "destination"):
        for entry in body.get(f"{kind}List") or []:
            if entry.get("type") and entry.get(kind):
                name = f"{kind}|{short_type('sdt', entry['type'])}"
                rows.append((name, canonical(entry[kind])[:TEXT_LENGTH], None))
    if body.get("transformationID"):
        rows.append(("transformationID", canonical(body["transformationID"]), None))
    persistent = body.get("persistentDisposition") or {}
    for which in ("set", "unset"):
        for value in persistent.get(which) or []:
            rows.append((f"persistentDisposition|{which}", short_type("disp", value), None))
    quantities = [
        entry
        for kind in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
        for entry in body.get(kind) or []
    ]
    for entry in quantities:
        if isinstance(entry, dict) and "quantity" in entry:
            quantity = entry["quantity"]
            rows.append((f"quantity|{entry.get('uom', '')}", as_text(quantity), quantity))
    declaration = body.get("errorDeclaration")
    if isinstance(declaration, dict):
        if "declarationTime" in declaration:
            time = declaration["declarationTime"]
            rows.append(("errorDeclaration|declarationTime", as_text(time), as_number(time)))
        if declaration.get("reason"):
            rows.append(("errorDeclaration|reason", short_type("er", declaration["reason"]), None))
        for corrective in declaration.get("correctiveEventIDs") or []:
            rows.append(("errorDeclaration|correctiveEventID", as_text(corrective), None))
    sensors = body.get("sensorElementList") or []
    if sensors:
        rows.append(("sensorElementList", "", None))
    for element in sensors:
        rows += _extensions("SENSORELEMENT_", element, namespaces)
        metadata = element.get("sensorMetadata") or {}
        rows += _sensor_rows(metadata)
        rows += _extensions("SENSORMETADATA_", metadata, namespaces)
        for report in element.get("sensorReport") or []:
            rows += _sensor_rows(report)
            rows += _extensions("SENSORREPORT_", report, namespaces)
    rows += _extensions("", body, namespaces)
    for field, section in SECTIONS.items():
        if isinstance(body.get(field), dict):
            rows += _extensions(section, body[field], namespaces)
    return rows
