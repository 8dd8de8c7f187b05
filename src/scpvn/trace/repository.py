"""The EPCIS repository: capture (all or nothing) and the standard event query.

Capture assigns what the repository owns (recordTime, and the CBV 2.0 hash ID for events
that came without eventID), refuses a repeated eventID unless the repeat is an error
declaration, and writes the event, its indexed columns and its identifier links in one
transaction. Queries translate the standard parameters to those columns and links.
"""

import base64
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from scpvn.core.lookups import present
from scpvn.trace.eventfields import as_number, event_fields, prefixes, short_type
from scpvn.trace.eventhash import Hasher
from scpvn.trace.identifiers import InvalidIdentifier, canonical, parse_identifier, parse_location
from scpvn.trace.masterdata import (
    attribute_condition,
    descendants,
    parse_master_data,
    store_master_data,
)
from scpvn.trace.models import Capture, Event, EventEPC, EventField, ExtensionPrefix
from scpvn.trace.pagecache import forget_pages
from scpvn.trace.partitions import ensure_partitions
from scpvn.trace.units import comparable, convert
from scpvn.trace.validation import (
    EventError,
    ParsedEvent,
    check_schema,
    checked_events,
    event_list,
    format_time_utc,
    parse_time_utc,
)

SYNC_LIMIT = 1000  # events processed inside the request; larger documents go to the worker
CBV_PREFIXES = {
    "bizStep": ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    "disposition": ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
}
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


@dataclass(frozen=True)
class Scope:
    """What a user may touch: None = everything; else the GTINs and GLNs they own."""

    gtins: frozenset[str] | None = None
    glns: frozenset[str] = frozenset()

    @property
    def unrestricted(self) -> bool:
        return self.gtins is None


def short_cbv(field: str, value: str) -> str:
    """Store bizStep/disposition as the bare CBV word, whichever of the three forms came in."""
    for prefix in CBV_PREFIXES.get(field, ()):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def store_document(
    document: dict, capture: Capture, check: Callable[[list[ParsedEvent]], None]
) -> int:
    """Validate and store every event of the document, or raise EventError and store none.
    `check` is the capture service's rule for the actor (write scope, chronology).

    Each event is checked and hashed while the database takes the ones before (one COPY
    stream on PostgreSQL), and the query rows are read while it takes the links: the
    database and Python work at once. So the actor's rules run once the events are in,
    before their links (the rules' queries must not meet the document's own). Any error
    rolls the whole capture back, and errors come in the order they always did: schema,
    events, master data, the actor's rules, a repeated eventID."""
    check_schema(document)
    context = document.get("@context", [EPCIS_CONTEXT])
    capture.context = context if isinstance(context, list) else [context]
    now = timezone.now()
    record_time = format_time_utc(now, "milliseconds")
    hasher = Hasher(document)  # bare words and ignored fields are a matter of the document
    parsed: list[ParsedEvent] = []
    rows: list[tuple] = []

    def checked_rows() -> Iterator[tuple]:
        for item in checked_events(document):
            parsed.append(item)
            rows.append(_event_row(item, hasher, record_time, now, capture.pk))
            yield rows[-1]

    def documents_rules() -> list:
        elements = parse_master_data(document)
        check(parsed)
        return elements

    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the lookup below needs a live transaction
                pks = _insert_events(checked_rows(), len(event_list(document)), now)
        except IntegrityError as error:
            documents_rules()  # a refused actor learns nothing of what is recorded
            raise _repeated_event(parsed, rows) or error from None
        elements = documents_rules()
        declared = [row[0] for row in rows if row[13]]
        if declared:
            Event.objects.filter(event_id__in=declared, has_error_declaration=False).update(
                declared_in_error=True
            )
        fields: list[tuple] = []

        def links() -> Iterator[tuple]:
            for pk, item in zip(pks, parsed, strict=True):
                # the query rows are read while the database takes the links before
                fields.extend((pk, *row) for row in event_fields(item.body, context))
                for role, key in item.identifiers:
                    yield (pk, role, key.uri, key.gtin, key.lot[:20], key.serial[:20], key.gln)

        _insert_links(links())
        _insert_fields(fields, prefixes(context))
        store_master_data(elements, capture)
        gtins = {key.gtin for item in parsed for _role, key in item.identifiers if key.gtin}
        transaction.on_commit(lambda: forget_pages(gtins))
        capture.state = Capture.State.SUCCESS
        capture.event_count = len(rows)
        capture.finished_at = timezone.now()
        capture.document = None
        capture.save()
    return len(rows)


def _event_row(
    item: ParsedEvent, hasher: Hasher, record_time: str, now: dt.datetime, capture_id
) -> tuple:
    """An event's row (EVENT_COLUMNS after the id), built directly (no model instance);
    the stored document carries the eventID (the CBV hash ID when it came without one) and
    the recordTime the repository assigns."""
    body = dict(item.body)
    if "eventID" not in body:  # hashed only when needed (setdefault would hash every event)
        body["eventID"] = hasher.hash_id(item.body)
    body["recordTime"] = record_time
    return (
        body["eventID"],
        body["type"],
        body.get("action", ""),
        short_cbv("bizStep", body.get("bizStep", "")),
        short_cbv("disposition", body.get("disposition", "")),
        _canonical_location(body.get("readPoint")),
        _canonical_location(body.get("bizLocation")),
        item.event_time,
        body["eventTimeZoneOffset"],
        now,
        capture_id,
        body,
        sorted({key.uri for _role, key in item.identifiers}),
        "errorDeclaration" in body,
        False,
    )


def _repeated_event(parsed: list[ParsedEvent], rows: list[tuple]) -> EventError | None:
    """Which event the database refused for an eventID it already holds (not an error
    declaration). The database's own rule decides (the claim table on PostgreSQL, the
    partial unique index on SQLite), and only then are the eventIDs looked up to say which:
    a capture spares that lookup of a thousand identifiers, and a capture racing another of
    the same event is refused as clearly as a late one. None when the refusal was
    something else."""
    existing = _recorded_event_ids([row[0] for row in rows if not row[13]])
    for row, item in zip(rows, parsed, strict=True):
        if row[0] in existing and not row[13]:
            return EventError(
                "eventID đã có trong kho; muốn sửa sự kiện đã ghi, hãy gửi khai báo lỗi "
                "(errorDeclaration) cùng eventID",
                index=item.index,
                event_id=row[0],
                field="eventID",
                status=409,
            )
    return None


LINK_COLUMNS = ("event_id", "role", "uri", "gtin", "lot", "serial", "gln")
EVENT_COLUMNS = (
    "id", "event_id", "event_type", "action", "biz_step", "disposition", "read_point",
    "biz_location", "event_time", "event_time_zone_offset", "record_time", "capture_id",
    "document", "epcs", "has_error_declaration", "declared_in_error",
)  # fmt: skip


def _recorded_event_ids(event_ids: list[str]) -> set[str]:
    """Which of these eventIDs the repository already holds (error declarations aside)."""
    return present(Event.objects.filter(has_error_declaration=False), "event_id", event_ids)


def _copy(table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Rows into a table through PostgreSQL's COPY, in the current transaction. Django's
    error classes (IntegrityError…), as from the ORM's own insert."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, which speaks COPY
        with (
            connection.wrap_database_errors,
            raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)


def _insert_events(rows: Iterable[tuple], count: int, recorded_at: dt.datetime) -> list[int]:
    """The `count` events of a capture recorded at `recorded_at` (EVENT_COLUMNS after the
    id), read from `rows` as they are written; returns their ids. On PostgreSQL through
    COPY, the ids drawn from the table's sequence first (the links need them): the ORM's
    multi-row INSERT … RETURNING was the largest step of a capture. Same transaction, same
    constraints (a repeated eventID fails the claim table's key); elsewhere bulk_create."""
    if connection.vendor != "postgresql" or not count:
        events = [Event(**dict(zip(EVENT_COLUMNS[1:], row, strict=True))) for row in rows]
        Event.objects.bulk_create(events, batch_size=1000)
        return [event.pk for event in events]
    # the partition of the capture's year (made here if the daily command has not yet)
    ensure_partitions(recorded_at)
    table = Event._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        pks = [pk for (pk,) in cursor.fetchall()]
    dumps = json.dumps
    _copy(
        table,
        EVENT_COLUMNS,
        (
            (pk, *row[:11], dumps(row[11]), dumps(row[12]), row[13], row[14])
            for pk, row in zip(pks, rows, strict=True)
        ),
    )
    return pks


def _insert_links(links: Iterable[tuple]) -> None:
    """The identifier links of a capture (several per event). On PostgreSQL through COPY:
    Django's multi-row INSERT sends them as arrays that psycopg encodes in Python, which
    made this the slowest step of a large capture; elsewhere a plain bulk_create."""
    if connection.vendor == "postgresql":
        _copy(EventEPC._meta.db_table, LINK_COLUMNS, links)
        return
    EventEPC.objects.bulk_create(
        [EventEPC(**dict(zip(LINK_COLUMNS, link, strict=True))) for link in links], batch_size=5000
    )


FIELD_COLUMNS = ("event_id", "name", "text", "number")


def _insert_fields(fields: Iterable[tuple], namespaces: dict[str, str]) -> None:
    """The flat query rows of the captured events (see `eventfields.py`), through COPY on
    PostgreSQL as the links, and the document's extension prefixes so that queries can
    expand them."""
    if connection.vendor == "postgresql":
        _copy(EventField._meta.db_table, FIELD_COLUMNS, fields)
    else:
        EventField.objects.bulk_create(
            [EventField(**dict(zip(FIELD_COLUMNS, row, strict=True))) for row in fields],
            batch_size=5000,
        )
    ExtensionPrefix.objects.bulk_create(
        [ExtensionPrefix(prefix=p[:100], iri=iri[:400]) for p, iri in namespaces.items()],
        ignore_conflicts=True,
    )


def _canonical_location(value) -> str:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return parse_location(value["id"]).uri
    return ""


def process_queued_capture(capture: Capture, check: Callable[[list[ParsedEvent]], None]) -> None:
    """Worker side of a large capture: same rules, and the refusal is recorded on the capture."""
    try:
        with transaction.atomic():
            store_document(capture.document, capture, check)
    except EventError as error:
        capture.state = Capture.State.FAILED
        capture.errors = [error.as_problem()]
        capture.finished_at = timezone.now()
        capture.document = None
        capture.save()


class QueryError(ValueError):
    """A query parameter the repository cannot answer (unknown name or malformed value):
    EPCIS's QueryParameterException."""


class QueryTooLarge(QueryError):
    """More events match than the query's maxEventCount allows: QueryTooLargeException."""


URI_START = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _values(params: QueryDict, name: str) -> list[str]:
    """The values of a list parameter, comma-separated or repeated. A piece that does not
    start a URI continues a `geo:` one: `geo:10.77,106.70` is one read point, not two."""
    values: list[str] = []
    for raw in params.getlist(name):
        for piece in raw.split(","):
            if values and values[-1].startswith("geo:") and not URI_START.match(piece):
                values[-1] += "," + piece
            elif piece:
                values.append(piece)
    return values


def _match_identifiers(values: Iterable[str], roles: list[str] | None) -> Q:
    """MATCH_*: exact identifiers, or EPC patterns (urn:epc:idpat:…, or a class) by prefix."""
    condition = Q()
    for value in values:
        try:  # every identifier capture accepts can be asked for (urn:uuid:, private https)
            key = parse_location(value)
        except InvalidIdentifier as exc:
            raise QueryError(f"Định danh không hợp lệ trong truy vấn: {value}") from exc
        links = EventEPC.objects.filter(role__in=roles) if roles else EventEPC.objects.all()
        if value.startswith("urn:epc:idpat:"):
            links = links.filter(uri__startswith=key.uri + "/")
        else:
            links = links.filter(uri=key.uri)
        condition |= Q(pk__in=links.values("event_id"))
    return condition


def _time_param(value: str) -> dt.datetime:
    try:
        return parse_time_utc(value.replace(" ", "+"))
    except (ValueError, OverflowError) as exc:
        raise QueryError(f"Thời gian không hợp lệ: {value}") from exc


def _number_param(name: str, value: str) -> float:
    number = as_number(value.replace(" ", "+"))
    if number is None:
        raise QueryError(f"{name}: cần một số hoặc thời điểm, không phải {value!r}")
    return number


MATCH_ROLES = {
    "MATCH_epc": ["epc", "child"],
    "MATCH_parentID": ["parent"],
    "MATCH_inputEPC": ["input"],
    "MATCH_outputEPC": ["output"],
    "MATCH_anyEPC": ["epc", "parent", "child", "input", "output"],
    "MATCH_epcClass": ["epc_class", "child_class"],
    "MATCH_inputEPCClass": ["input_class"],
    "MATCH_outputEPCClass": ["output_class"],
    "MATCH_anyEPCClass": ["epc_class", "child_class", "input_class", "output_class"],
}
TIME_FILTERS = {
    "GE_eventTime": "event_time__gte",
    "LT_eventTime": "event_time__lt",
    "GE_recordTime": "record_time__gte",
    "LT_recordTime": "record_time__lt",
}
EQ_FILTERS = {
    "eventType": "event_type__in",
    "EQ_action": "action__in",
    "EQ_bizStep": "biz_step__in",
    "EQ_disposition": "disposition__in",
    "EQ_eventID": "event_id__in",
}
COMPARISONS = {"GT": "gt", "GE": "gte", "LT": "lt", "LE": "lte"}
# Parameters answered from EventField rows with a fixed name: parameter → (row name, kind of
# value: a CBV vocabulary whose words are shortened, a URI made canonical, or plain text).
FIELD_EQ = {
    "EQ_transformationID": ("transformationID", "uri"),
    "EQ_persistentDisposition_set": ("persistentDisposition|set", "disp"),
    "EQ_persistentDisposition_unset": ("persistentDisposition|unset", "disp"),
    "EQ_errorReason": ("errorDeclaration|reason", "er"),
    "EQ_correctiveEventID": ("errorDeclaration|correctiveEventID", "text"),
    "EQ_type": ("sensor|type", "measurement"),
    "EQ_deviceID": ("sensor|deviceID", "uri"),
    "EQ_dataProcessingMethod": ("sensor|dataProcessingMethod", "uri"),
    "EQ_microorganism": ("sensor|microorganism", "uri"),
    "EQ_chemicalSubstance": ("sensor|chemicalSubstance", "uri"),
    "EQ_bizRules": ("sensor|bizRules", "uri"),
    "EQ_stringValue": ("sensor|stringValue", "text"),
    "EQ_booleanValue": ("sensor|booleanValue", "text"),
    "EQ_hexBinaryValue": ("sensor|hexBinaryValue", "text"),
    "EQ_uriValue": ("sensor|uriValue", "uri"),
}
# Comparisons on EventField numbers with a fixed name (the schema spells the error
# declaration time `GE_errorDeclaration_Time`, the standard's text `GE_errorDeclarationTime`).
FIELD_COMPARE = {
    "errorDeclarationTime": "errorDeclaration|declarationTime",
    "errorDeclaration_Time": "errorDeclaration|declarationTime",
    "time": "sensor|time",
    "startTime": "sensor|startTime",
    "endTime": "sensor|endTime",
    "percRank": "sensor|percRank",
}
TYPED_EQ = re.compile(r"EQ_(bizTransaction|source|destination)_(\w+)")
BY_UOM = re.compile(
    r"(EQ|GT|GE|LT|LE)_(value|minValue|maxValue|meanValue|sDev|percValue|quantity)_([A-Z0-9]{2,4})"
)
EXTENSION = re.compile(
    r"(EQ|GT|GE|LT|LE|EXISTS)_(INNER_)?(ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|"
    r"SENSORMETADATA_|SENSORREPORT_|readPoint_|bizLocation_)?([A-Za-z][\w.-]*:[^_][^\s]*)"
)
ORDER_COLUMNS = {"eventTime": "event_time", "recordTime": "record_time"}
PAGING = {"perPage", "nextPageToken"}
RESULT_CONTROLS = {"orderBy", "orderDirection", "eventCountLimit", "maxEventCount"}


def scoped_events(scope: Scope) -> QuerySet[Event]:
    if scope.unrestricted:
        return Event.objects.all()
    links = EventEPC.objects.filter(Q(gtin__in=scope.gtins) | Q(gln__in=scope.glns))
    return Event.objects.filter(pk__in=links.values("event_id"))


def _with_field(name: str | Iterable[str], *conditions: Q, **lookups) -> Q:
    """Events having an EventField row of that name (or one of those names) and values.
    Alternatives on the values belong in one `conditions` Q, inside this one subquery: an
    OR of two `pk IN (…)` subqueries cannot become a join on PostgreSQL, which then walks
    every event testing both (a full scan at a million events)."""
    rows = (
        EventField.objects.filter(name=name)
        if isinstance(name, str)
        else EventField.objects.filter(name__in=list(name))
    )
    return Q(pk__in=rows.filter(*conditions, **lookups).values("event_id"))


def _normalise(kind: str, values: list[str]) -> list[str]:
    if kind == "uri":
        return [canonical(v) for v in values]
    if kind == "text":
        return values
    return [short_type(kind, v) for v in values]


def _extension_names(section: str, field: str, namespaces: dict[str, str]) -> list[str]:
    """The stored names an extension parameter may mean: its prefix expanded by the query's
    own namespaces, else by those of every captured document, and the name as written."""
    prefix, _, local = field.partition(":")
    iris = {namespaces[prefix]} if prefix in namespaces else set()
    if not iris:
        iris = set(ExtensionPrefix.objects.filter(prefix=prefix).values_list("iri", flat=True))
    return [f"ext|{section}|{name}" for name in {field, *(iri + local for iri in iris)}]


def _location_condition(column: str, values: list[str], with_descendants: bool) -> Q:
    """EQ_/WD_readPoint and bizLocation. With descendants (WD_): the places below in the
    master-data hierarchy (`masterdata.descendants`), and for a GLN its sub-locations (the
    same GLN with an extension, `…/414/{gln}/254/{ext}`), found as a range on the index."""
    try:
        uris = [parse_location(v).uri for v in values]
    except InvalidIdentifier as exc:
        raise QueryError(str(exc)) from exc
    if with_descendants:
        field = "readPoint" if column == "read_point" else "bizLocation"
        try:
            uris = sorted(descendants(field, uris))
        except ValueError as exc:
            raise QueryError(str(exc)) from exc
    condition = Q(**{f"{column}__in": uris})
    if with_descendants:
        for uri in uris:
            if "/414/" in uri and "/254/" not in uri:
                start = uri + "/254/"
                condition |= Q(**{f"{column}__gte": start, f"{column}__lt": start + "\uffff"})
    return condition


def _condition(name: str, params: QueryDict, namespaces: dict[str, str]) -> Q:
    """One query parameter as a condition on the event (an indexed column or lookup)."""
    values = _values(params, name)
    if name in TIME_FILTERS:
        return Q(**{TIME_FILTERS[name]: _time_param(params[name])})
    if name in EQ_FILTERS:
        field = name.removeprefix("EQ_")
        return Q(**{EQ_FILTERS[name]: [short_cbv(field, v) for v in values]})
    if name in ("EQ_readPoint", "WD_readPoint", "EQ_bizLocation", "WD_bizLocation"):
        column = "read_point" if name.endswith("readPoint") else "biz_location"
        return _location_condition(column, values, name.startswith("WD_"))
    if name in MATCH_ROLES:
        if (
            connection.vendor == "postgresql"
            and name == "MATCH_anyEPC"
            and not any(v.startswith("urn:epc:idpat:") for v in values)
        ):
            # The GIN index on `epcs` answers containment without touching the link table.
            condition = Q()
            for value in values:
                try:
                    condition |= Q(epcs__contains=[parse_identifier(value).uri])
                except InvalidIdentifier as exc:
                    raise QueryError(f"Định danh không hợp lệ trong truy vấn: {value}") from exc
            return condition
        return _match_identifiers(values, MATCH_ROLES[name])
    try:
        by_attribute = attribute_condition(name, values, namespaces)
    except ValueError as exc:
        raise QueryError(str(exc)) from exc
    if by_attribute is not None:
        return by_attribute
    if name == "EXISTS_errorDeclaration":
        return Q(has_error_declaration=True)
    if name == "EXISTS_sensorElementList":
        return _with_field("sensorElementList")
    if name in FIELD_EQ:
        row, kind = FIELD_EQ[name]
        return _with_field(row, text__in=_normalise(kind, values))
    if match := TYPED_EQ.fullmatch(name):
        kind, wanted = match.groups()
        row = f"{kind}|{short_type('btt' if kind == 'bizTransaction' else 'sdt', wanted)}"
        return _with_field(row, text__in=_normalise("uri", values))
    op, _, field = name.partition("_")
    if op in COMPARISONS and field in FIELD_COMPARE:
        number = _number_param(name, params[name])
        return _with_field(FIELD_COMPARE[field], **{f"number__{COMPARISONS[op]}": number})
    if field in ("quantity",) and op in COMPARISONS:
        number = _number_param(name, params[name])
        return _with_field(_quantity_names(), **{f"number__{COMPARISONS[op]}": number})
    if name == "EQ_quantity":
        numbers = [_number_param(name, v) for v in values]
        return _with_field(_quantity_names(), number__in=numbers)
    if match := BY_UOM.fullmatch(name):
        op, measure, uom = match.groups()
        numbers = [_number_param(name, v) for v in (values if op == "EQ" else [params[name]])]
        return _by_unit(
            op, "quantity" if measure == "quantity" else f"sensor|{measure}", uom, numbers
        )
    if match := EXTENSION.fullmatch(name):
        op, inner, section, field = match.groups()
        names = _extension_names(f"{inner or ''}{section or ''}", field, namespaces)
        if op == "EXISTS":
            return _with_field(names)
        if op == "EQ":
            numbers = [n for n in (as_number(v) for v in values) if n is not None]
            return _with_field(names, Q(text__in=values) | Q(number__in=numbers))
        return _with_field(
            names, **{f"number__{COMPARISONS[op]}": _number_param(name, params[name])}
        )
    raise QueryError(f"Tham số truy vấn không được hỗ trợ: {name}")


def _by_unit(op: str, prefix: str, uom: str, numbers: list[float]) -> Q:
    """A value named with its unit (`GE_value_FAH`) compared with the values stored in every
    unit of the same dimension, each in one indexed (name, number) lookup: the threshold is
    converted, not the stored values. Equality across units allows for rounding."""
    rows = Q()
    for unit in comparable(uom):
        converted = [convert(n, uom, unit) for n in numbers]
        name = f"{prefix}|{unit}"
        if op != "EQ":
            rows |= Q(name=name, **{f"number__{COMPARISONS[op]}": converted[0]})
        elif unit == uom:
            rows |= Q(name=name, number__in=converted)
        else:
            for value in converted:
                slack = 1e-9 * max(1.0, abs(value))
                rows |= Q(name=name, number__gte=value - slack, number__lte=value + slack)
    return Q(pk__in=EventField.objects.filter(rows).values("event_id"))


def _quantity_names() -> list[str]:
    """EQ/GT/…_quantity without a unit (deprecated by EPCIS 2.0) compare every quantity."""
    return list(
        EventField.objects.filter(name__startswith="quantity|")
        .values_list("name", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class Ordering:
    """orderBy/orderDirection: the column, and whether it runs newest first."""

    column: str = "pk"
    descending: bool = False

    @property
    def keys(self) -> list[str]:
        sign = "-" if self.descending else ""
        return [f"{sign}{self.column}", f"{sign}pk"] if self.column != "pk" else [f"{sign}pk"]


def ordering(params: QueryDict) -> Ordering:
    """By eventTime or recordTime (descending unless orderDirection=ASC, as the standard
    says); without orderBy, in capture order, which keeps paging stable."""
    direction = params.get("orderDirection", "DESC")
    if direction not in ("ASC", "DESC"):
        raise QueryError("orderDirection phải là ASC hoặc DESC")
    if "orderBy" not in params:
        return Ordering()
    by = params["orderBy"]
    if by not in ORDER_COLUMNS:
        raise QueryError(f"orderBy chỉ nhận eventTime hoặc recordTime, không phải {by!r}")
    return Ordering(ORDER_COLUMNS[by], direction == "DESC")


def filter_events(
    params: QueryDict, scope: Scope, namespaces: dict[str, str] | None = None
) -> QuerySet[Event]:
    """The SimpleEventQuery parameters of EPCIS 2.0, each an indexed condition, ANDed.
    `namespaces` are the extension prefixes the query itself declares (GS1-Extensions
    header, or a named query's @context)."""
    events = scoped_events(scope)
    for name in params:
        if name in PAGING or name in RESULT_CONTROLS:
            continue
        events = events.filter(_condition(name, params, namespaces or {}))
    return events.order_by(*ordering(params).keys)


def _count_param(params: QueryDict, name: str) -> int | None:
    if name not in params:
        return None
    try:
        count = int(params[name])
    except ValueError as exc:
        raise QueryError(f"{name} phải là số nguyên") from exc
    if count < 1:
        raise QueryError(f"{name} phải lớn hơn 0")
    return count


def encode_token(position: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def decode_token(token: str) -> dict:
    try:
        position = json.loads(base64.urlsafe_b64decode(token.encode()))
        int(position["after"])
    except (ValueError, KeyError, TypeError) as exc:
        raise QueryError("nextPageToken không hợp lệ") from exc
    return position


def _after(events: QuerySet[Event], order: Ordering, position: dict) -> QuerySet[Event]:
    """Keyset paging: the events after the last one of the previous page, in query order."""
    pk = int(position["after"])
    if order.column == "pk":
        return events.filter(pk__lt=pk) if order.descending else events.filter(pk__gt=pk)
    try:
        at = dt.datetime.fromisoformat(position["at"])
    except (KeyError, TypeError, ValueError) as exc:
        raise QueryError("nextPageToken không hợp lệ") from exc
    op = "lt" if order.descending else "gt"
    return events.filter(
        Q(**{f"{order.column}__{op}": at}) | Q(**{order.column: at, f"pk__{op}": pk})
    )


def page_of_events(
    params: QueryDict,
    scope: Scope,
    default_per_page: int = 30,
    namespaces: dict[str, str] | None = None,
) -> tuple[list[Event], str]:
    """One page (keyset on the query order and primary key, stable while new events
    arrive) and the token of the next page, or "" when this is the last. eventCountLimit
    caps the whole answer (the token carries what is left of it); maxEventCount refuses a
    query that would answer more."""
    try:
        per_page = int(params.get("perPage", default_per_page))
    except ValueError as exc:
        raise QueryError("perPage phải là số nguyên") from exc
    if not 1 <= per_page <= 1000:
        raise QueryError("perPage phải từ 1 đến 1000")
    limit = _count_param(params, "eventCountLimit")
    most = _count_param(params, "maxEventCount")
    if limit is not None and most is not None:
        raise QueryError("Không dùng eventCountLimit cùng maxEventCount")
    order = ordering(params)
    events = filter_events(params, scope, namespaces)
    if most is not None and events.count() > most:
        raise QueryTooLarge(f"Truy vấn khớp hơn {most} sự kiện (maxEventCount)")
    position = decode_token(params["nextPageToken"]) if "nextPageToken" in params else None
    if position is not None:
        events = _after(events, order, position)
        limit = position.get("left", limit)
    size = per_page if limit is None else min(per_page, limit)
    page = list(events.select_related("capture")[: size + 1])
    if len(page) <= size or limit == size:
        return page[:size], ""
    last = page[size - 1]
    following = {"after": last.pk}
    if order.column != "pk":
        following["at"] = getattr(last, order.column).isoformat()
    if limit is not None:
        following["left"] = limit - size
    return page[:size], encode_token(following)


def query_document(events: list[Event], query_name: str = "SimpleEventQuery") -> dict:
    """The EPCISQueryDocument of the REST binding, with the contexts the events came with."""
    context: list = [EPCIS_CONTEXT]
    for event in events:
        for entry in event.capture.context:
            if entry not in context:
                context.append(entry)
    return {
        "@context": context,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": format_time_utc(timezone.now(), "milliseconds"),
        "epcisBody": {
            "queryResults": {
                "queryName": query_name,
                "resultsBody": {"eventList": [event.document for event in events]},
            }
        },
    }
