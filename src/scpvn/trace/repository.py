"""The EPCIS repository: capture (all or nothing) and the standard event query.

Capture assigns what the repository owns (recordTime, and the CBV 2.0 hash ID for events
that came without eventID), refuses a repeated eventID unless the repeat is an error
declaration, and writes the event, its indexed columns and its identifier links in one
transaction. Queries translate the standard parameters to those columns and links.
"""

import base64
import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from scpvn.trace.eventhash import Hasher
from scpvn.trace.identifiers import InvalidIdentifier, parse_identifier, parse_location
from scpvn.trace.models import Capture, Event, EventEPC
from scpvn.trace.pagecache import forget_pages
from scpvn.trace.validation import (
    EventError,
    ParsedEvent,
    parse_time,
    validate_document,
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
    `check` is the capture service's rule for the actor (write scope, chronology)."""
    parsed = validate_document(document)
    check(parsed)
    context = document.get("@context", [EPCIS_CONTEXT])
    capture.context = context if isinstance(context, list) else [context]
    now = timezone.now()
    hasher = Hasher(document)  # bare words and ignored fields are a matter of the document
    rows: list[tuple[Event, ParsedEvent]] = []
    for item in parsed:
        body = dict(item.body)
        body.setdefault("eventID", hasher.hash_id(item.body))
        body["recordTime"] = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        keys = [key for _role, key in item.identifiers]
        rows.append(
            (
                Event(
                    event_id=body["eventID"],
                    event_type=body["type"],
                    action=body.get("action", ""),
                    biz_step=short_cbv("bizStep", body.get("bizStep", "")),
                    disposition=short_cbv("disposition", body.get("disposition", "")),
                    read_point=_canonical_location(body.get("readPoint")),
                    biz_location=_canonical_location(body.get("bizLocation")),
                    event_time=item.event_time,
                    event_time_zone_offset=body["eventTimeZoneOffset"],
                    record_time=now,
                    capture=capture,
                    document=body,
                    epcs=sorted({key.uri for key in keys}),
                    has_error_declaration="errorDeclaration" in body,
                ),
                item,
            )
        )
    with transaction.atomic():
        ids = [event.event_id for event, _ in rows]
        existing = set(
            Event.objects.filter(event_id__in=ids, has_error_declaration=False).values_list(
                "event_id", flat=True
            )
        )
        for event, item in rows:
            if event.event_id in existing and not event.has_error_declaration:
                raise EventError(
                    "eventID đã có trong kho; muốn sửa sự kiện đã ghi, hãy gửi khai báo lỗi "
                    "(errorDeclaration) cùng eventID",
                    index=item.index,
                    event_id=event.event_id,
                    field="eventID",
                    status=409,
                )
        Event.objects.bulk_create([event for event, _ in rows], batch_size=1000)
        declared = [event.event_id for event, _ in rows if event.has_error_declaration]
        if declared:
            Event.objects.filter(event_id__in=declared, has_error_declaration=False).update(
                declared_in_error=True
            )
        _insert_links(
            [
                (event.pk, role, key.uri, key.gtin, key.lot[:20], key.serial[:20], key.gln)
                for event, item in rows
                for role, key in item.identifiers
            ]
        )
        gtins = {key.gtin for _event, item in rows for _role, key in item.identifiers if key.gtin}
        transaction.on_commit(lambda: forget_pages(gtins))
        capture.state = Capture.State.SUCCESS
        capture.event_count = len(rows)
        capture.finished_at = timezone.now()
        capture.document = None
        capture.save()
    return len(rows)


LINK_COLUMNS = ("event_id", "role", "uri", "gtin", "lot", "serial", "gln")


def _insert_links(links: list[tuple]) -> None:
    """The identifier links of a capture (several per event). On PostgreSQL through COPY:
    Django's multi-row INSERT sends them as arrays that psycopg encodes in Python, which
    made this the slowest step of a large capture; elsewhere a plain bulk_create."""
    if connection.vendor == "postgresql":
        table = EventEPC._meta.db_table
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, which speaks COPY
            with raw.copy(f"COPY {table} ({', '.join(LINK_COLUMNS)}) FROM STDIN") as copy:
                for link in links:
                    copy.write_row(link)
        return
    EventEPC.objects.bulk_create(
        [EventEPC(**dict(zip(LINK_COLUMNS, link, strict=True))) for link in links], batch_size=5000
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
    """A query parameter the repository cannot answer (unknown name or malformed value)."""


def _values(params: QueryDict, name: str) -> list[str]:
    return [v for raw in params.getlist(name) for v in raw.split(",") if v]


def _match_identifiers(values: Iterable[str], roles: list[str] | None) -> Q:
    """MATCH_*: exact identifiers, or EPC patterns (urn:epc:idpat:…, or a class) by prefix."""
    condition = Q()
    for value in values:
        try:
            key = parse_identifier(value)
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
        return parse_time(value.replace(" ", "+"))
    except ValueError as exc:
        raise QueryError(f"Thời gian không hợp lệ: {value}") from exc


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
PAGING = {"perPage", "nextPageToken"}


def scoped_events(scope: Scope) -> QuerySet[Event]:
    if scope.unrestricted:
        return Event.objects.all()
    links = EventEPC.objects.filter(Q(gtin__in=scope.gtins) | Q(gln__in=scope.glns))
    return Event.objects.filter(pk__in=links.values("event_id"))


def filter_events(params: QueryDict, scope: Scope) -> QuerySet[Event]:
    """The SimpleEventQuery parameters of EPCIS 2.0 over the indexed columns."""
    events = scoped_events(scope)
    for name in params:
        if name in PAGING:
            continue
        values = _values(params, name)
        if name in TIME_FILTERS:
            events = events.filter(**{TIME_FILTERS[name]: _time_param(params[name])})
        elif name in EQ_FILTERS:
            field = name.removeprefix("EQ_")
            events = events.filter(**{EQ_FILTERS[name]: [short_cbv(field, v) for v in values]})
        elif name in ("EQ_readPoint", "EQ_bizLocation"):
            column = "read_point" if name == "EQ_readPoint" else "biz_location"
            try:
                uris = [parse_location(v).uri for v in values]
            except InvalidIdentifier as exc:
                raise QueryError(str(exc)) from exc
            events = events.filter(**{f"{column}__in": uris})
        elif name in MATCH_ROLES:
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
                events = events.filter(condition)
            else:
                events = events.filter(_match_identifiers(values, MATCH_ROLES[name]))
        elif name == "EXISTS_errorDeclaration":
            events = events.filter(has_error_declaration=True)
        else:
            raise QueryError(f"Tham số truy vấn không được hỗ trợ: {name}")
    return events.order_by("pk")


def encode_token(after_pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after_pk}).encode()).decode()


def decode_token(token: str) -> int:
    try:
        return int(json.loads(base64.urlsafe_b64decode(token.encode()))["after"])
    except (ValueError, KeyError, TypeError) as exc:
        raise QueryError("nextPageToken không hợp lệ") from exc


def page_of_events(
    params: QueryDict, scope: Scope, default_per_page: int = 30
) -> tuple[list[Event], str]:
    """One page (keyset on the primary key, stable while new events arrive) and the token
    of the next page, or "" when this is the last."""
    try:
        per_page = int(params.get("perPage", default_per_page))
    except ValueError as exc:
        raise QueryError("perPage phải là số nguyên") from exc
    if not 1 <= per_page <= 1000:
        raise QueryError("perPage phải từ 1 đến 1000")
    events = filter_events(params, scope)
    if "nextPageToken" in params:
        events = events.filter(pk__gt=decode_token(params["nextPageToken"]))
    page = list(events.select_related("capture")[: per_page + 1])
    if len(page) > per_page:
        return page[:per_page], encode_token(page[per_page - 1].pk)
    return page, ""


def query_document(events: list[Event]) -> dict:
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
        "creationDate": timezone.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": [event.document for event in events]},
            }
        },
    }
