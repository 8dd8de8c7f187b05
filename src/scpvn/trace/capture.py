"""Capture: who may send and read which events (scope), and how a document is captured —
stored now when small, queued for the worker when large. The worker's task lives here too,
so storage (`repository`) never reaches back to the queue: no import circle.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Sum
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from scpvn.orgs.models import User
from scpvn.orgs.policy import EVERYTHING, check, check_role, restrict, scope_q
from scpvn.orgs.roles import Role
from scpvn.registry.models import Enterprise
from scpvn.registry.services import enterprises_visible_to
from scpvn.trace.errors import CaptureRefused, TraceErrorCode
from scpvn.trace.identifiers import GS1Key
from scpvn.trace.masterdata import check_master_data_scope
from scpvn.trace.models import Capture, Certification, EventEPC, Location, Lot, Product
from scpvn.trace.repository import (
    SYNC_LIMIT,
    Scope,
    process_queued_capture,
    short_cbv,
    store_document,
)
from scpvn.trace.scopes import CAPTURE
from scpvn.trace.validation import ParsedEvent, event_list, validate_document

# Sent (with capture_id) once a capture's events are committed, stored now or by the worker:
# stream subscriptions listen (`subscriptions.py`) without capture importing them.
capture_committed = Signal()


def _announce(capture: Capture) -> None:
    capture_id = capture.pk
    transaction.on_commit(lambda: capture_committed.send(Capture, capture_id=capture_id))


def _owned(enterprises: QuerySet[Enterprise]) -> Scope:
    return Scope(
        gtins=frozenset(
            Product.objects.filter(enterprise__in=enterprises).values_list("gtin", flat=True)
        ),
        glns=frozenset(
            Location.objects.filter(enterprise__in=enterprises).values_list("gln", flat=True)
        ),
    )


def capture_scope(user) -> Scope:
    """Whose events a user may capture. The city administrator and agency officers (and the
    system itself, user None, e.g. demo data) capture for anyone; an enterprise user only
    events that name a product (GTIN) or place (GLN) registered to one of their enterprises —
    a farm records its harvest, a market its receiving of someone else's lot."""
    if user is None or scope_q(user, Enterprise, CAPTURE) == EVERYTHING:
        return Scope()
    return _owned(restrict(Enterprise.objects.all(), user, CAPTURE))


def query_scope(user) -> Scope:
    """Whose events a user may read: the same enterprises the registry shows them."""
    if user is not None and scope_q(user, Enterprise) == EVERYTHING:
        return Scope()
    return _owned(enterprises_visible_to(user))


def products_visible_to(user) -> QuerySet[Product]:
    return restrict(Product.objects.select_related("enterprise"), user)


def locations_visible_to(user) -> QuerySet[Location]:
    return restrict(Location.objects.select_related("district", "unit"), user)


def lots_visible_to(user) -> QuerySet[Lot]:
    return restrict(Lot.objects.select_related("product"), user)


def save_master_data(user, record: Product | Location | Lot | Certification) -> None:
    """Register a product, place, lot or certification, only for an enterprise the user
    may capture for; a record tied to no enterprise only by those who capture for anyone."""
    product = getattr(record, "product", None)
    enterprise = product.enterprise if product is not None else record.enterprise
    message = _("Bạn chỉ được đăng ký dữ liệu cho doanh nghiệp của mình.")
    if enterprise is None:
        check_role(
            user,
            frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER}),
            message,
            TraceErrorCode.MASTER_DATA_OUT_OF_SCOPE,
        )
    else:
        check(user, CAPTURE, enterprise, message, TraceErrorCode.MASTER_DATA_OUT_OF_SCOPE)
    record.save()


def traceable_enterprise_ids(as_of: dt.date | None = None) -> set[int]:
    """Indicator 4.4.2 (agri-food enterprises traceable by QR code): the
    enterprises with at least one product that has captured EPCIS events — recorded on or
    before `as_of` when given (for a reporting period), else up to now. A product with a QR
    label but no events is not traceable: the scan would show nothing."""
    links = EventEPC.objects.exclude(gtin="")
    if as_of is not None:
        end = dt.datetime.combine(
            as_of + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
        )
        links = links.filter(event__record_time__lt=end)
    return set(
        Product.objects.filter(gtin__in=links.values("gtin"))
        .values_list("enterprise_id", flat=True)
        .distinct()
    )


def traceable_responses(traceable: bool, end: dt.date) -> Q:
    """The indicator condition `{traceable: …}` as a filter on assessment responses, as
    registered with the indicator engine by TraceConfig.ready."""
    selected = Q(enterprise_id__in=traceable_enterprise_ids(as_of=end))
    return selected if traceable else ~selected


# --- Writes: "one step back, one step forward" and the lot's chronology ---------------------

# The roles in which an identifier names goods (not places).
PRODUCT_ROLES = frozenset(
    {
        EventEPC.Role.EPC, EventEPC.Role.PARENT, EventEPC.Role.CHILD, EventEPC.Role.INPUT,
        EventEPC.Role.OUTPUT, EventEPC.Role.EPC_CLASS, EventEPC.Role.CHILD_CLASS,
        EventEPC.Role.INPUT_CLASS, EventEPC.Role.OUTPUT_CLASS,
    }
)  # fmt: skip
# Roles in which an ObjectEvent ADD or a TransformationEvent brings goods into existence.
ADDED_ROLES = frozenset({EventEPC.Role.EPC, EventEPC.Role.EPC_CLASS})
OUTPUT_ROLES = frozenset({EventEPC.Role.OUTPUT, EventEPC.Role.OUTPUT_CLASS})
PLACE_ROLES = frozenset({EventEPC.Role.READ_POINT, EventEPC.Role.BIZ_LOCATION})
CHUNK = 500  # identifiers per history query (SQLite's bound on query parameters)


def _is_lot_key(key: GS1Key) -> bool:
    """A lot (GTIN + batch) or one serialised unit: what has a history of its own."""
    return bool(key.gtin and (key.lot or key.serial))


@dataclass
class _Firsts:
    """For each lot, the earliest time it was commissioned, destroyed, and shipped to each
    place: the only moments the chronology rules compare an event with."""

    commissioned: dict[str, list[tuple[dt.datetime, int]]] = field(default_factory=dict)
    destroyed: dict[str, list[tuple[dt.datetime, int]]] = field(default_factory=dict)
    shipped: dict[tuple[str, str], list[tuple[dt.datetime, int]]] = field(default_factory=dict)

    def add(self, table: dict, key, when: dt.datetime, index: int) -> None:
        """Keep the two earliest moments of distinct events: enough to find the earliest
        besides any one event, and checking a long document stays linear."""
        entries = sorted([*table.get(key, ()), (when, index)])
        kept: list[tuple[dt.datetime, int]] = []
        for entry in entries:
            if all(entry[1] != other for _when, other in kept):
                kept.append(entry)
        table[key] = kept[:2]

    def lots(self) -> set[str]:
        """The lots that have any moment: the only ones the chronology rules can refuse."""
        return {*self.commissioned, *self.destroyed, *(uri for uri, _gln in self.shipped)}

    def earliest(self, table: dict, key, besides: int) -> dt.datetime | None:
        """The earliest moment in `table[key]` that is not the event `besides` itself."""
        return min((when for when, index in table.get(key, ()) if index != besides), default=None)


RECORDED = -1  # the index of a moment already in the repository (not in this document)


def _named_as_goods(uris: set[str]) -> list[str]:
    """The identifiers among `uris` that a recorded event already names as goods, sorted:
    the only ones whose history the grouped queries below can find. A bulk capture mostly
    names new units, so this one query (one array parameter on PostgreSQL) spares most of
    theirs."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT uri FROM {EventEPC._meta.db_table} "
                "WHERE uri = ANY(%s) AND role = ANY(%s)",
                [sorted(uris), sorted(PRODUCT_ROLES)],
            )
            return sorted(uri for (uri,) in cursor.fetchall())
    ordered = sorted(uris)
    found: set[str] = set()
    for start in range(0, len(ordered), CHUNK):
        found.update(
            EventEPC.objects.filter(uri__in=ordered[start : start + CHUNK], role__in=PRODUCT_ROLES)
            .values_list("uri", flat=True)
            .distinct()
        )
    return sorted(found)


def _recorded_firsts(uris: set[str]) -> _Firsts:
    """The lots' moments already in the repository, as three grouped queries per chunk of
    identifiers: bounded by the number of lots, whatever the length of their histories."""
    firsts = _Firsts()
    ordered = _named_as_goods(uris)
    for start in range(0, len(ordered), CHUNK):
        links = EventEPC.objects.filter(
            uri__in=ordered[start : start + CHUNK],
            role__in=PRODUCT_ROLES,
            event__has_error_declaration=False,
            event__declared_in_error=False,
        )
        commissioned = links.filter(
            Q(event__event_type="ObjectEvent", event__action="ADD", role__in=ADDED_ROLES)
            | Q(event__event_type="TransformationEvent", role__in=OUTPUT_ROLES)
        )
        destroyed = links.filter(
            Q(event__biz_step="destroying") | Q(event__disposition="destroyed")
        )
        for table, rows in (
            (firsts.commissioned, commissioned),
            (firsts.destroyed, destroyed),
        ):
            for uri, when in (
                rows.values("uri")
                .annotate(first=Min("event__event_time"))
                .values_list("uri", "first")
            ):
                firsts.add(table, uri, when, RECORDED)
        shipped = (
            links.filter(
                event__biz_step="shipping",
                event__identifiers__role=EventEPC.Role.DESTINATION,
                event__identifiers__gln__gt="",
            )
            .values("uri", "event__identifiers__gln")
            .annotate(first=Min("event__event_time"))
            .values_list("uri", "event__identifiers__gln", "first")
        )
        for uri, gln, when in shipped:
            firsts.add(firsts.shipped, (uri, gln), when, RECORDED)
    return firsts


def _places(item: ParsedEvent) -> set[str]:
    return {key.gln for role, key in item.identifiers if role in PLACE_ROLES and key.gln}


def _document_firsts(parsed: list[ParsedEvent], firsts: _Firsts) -> None:
    """Add the document's own moments: a document is checked against itself too."""
    for item in parsed:
        if "errorDeclaration" in item.body:
            continue
        step = short_cbv("bizStep", item.body.get("bizStep", ""))
        destroys = step == "destroying" or (
            short_cbv("disposition", item.body.get("disposition", "")) == "destroyed"
        )
        destinations = {
            key.gln for role, key in item.identifiers if role == EventEPC.Role.DESTINATION
        }
        for role, key in item.identifiers:
            if role not in PRODUCT_ROLES or not _is_lot_key(key):
                continue
            if _commissions(item, role):
                firsts.add(firsts.commissioned, key.uri, item.event_time, item.index)
            if destroys:
                firsts.add(firsts.destroyed, key.uri, item.event_time, item.index)
            if step == "shipping":
                for gln in destinations - {""}:
                    firsts.add(firsts.shipped, (key.uri, gln), item.event_time, item.index)


def _refuse(item: ParsedEvent, code: TraceErrorCode, detail: str, status: int, field: str = ""):
    raise CaptureRefused(
        detail, index=item.index, event_id=item.body.get("eventID", ""), field=field,
        status=status, code=code,
    )  # fmt: skip


def _commissions(item: ParsedEvent, role: str) -> bool:
    kind = item.body.get("type")
    return (kind == "ObjectEvent" and item.body.get("action") == "ADD" and role in ADDED_ROLES) or (
        kind == "TransformationEvent" and role in OUTPUT_ROLES
    )


def _check_scope(item: ParsedEvent, scope: Scope, recorded: _Firsts) -> None:
    """An enterprise writes on lots it owns (its GTINs), anywhere; on another's lot only
    once a recorded shipping event sent it to one of its places, and then only at its own
    places and not before that shipping. An event naming no owned goods must happen at one
    of its places."""
    places = _places(item)
    at_home = bool(places & scope.glns)
    owns_some = False
    for role, key in item.identifiers:
        if role not in PRODUCT_ROLES or not key.gtin:
            continue
        if key.gtin in scope.gtins:
            owns_some = True
            continue
        arrivals = [
            when
            for gln in scope.glns
            for when, _index in recorded.shipped.get((key.uri, gln), ())
        ] if _is_lot_key(key) else []  # fmt: skip
        if not arrivals:
            _refuse(
                item, TraceErrorCode.LOT_OUT_OF_SCOPE,
                f"{key.uri}: bạn chỉ được ghi nhận sự kiện cho lô hàng của doanh nghiệp mình, "
                "hoặc lô đã được ghi nhận xuất hàng đến địa điểm của bạn",
                403, "epcList",
            )  # fmt: skip
        if not at_home:
            _refuse(
                item, TraceErrorCode.LOCATION_OUT_OF_SCOPE,
                f"{key.uri}: lô nhận từ doanh nghiệp khác chỉ được ghi nhận tại địa điểm "
                "(GLN) của doanh nghiệp bạn",
                403, "bizLocation",
            )  # fmt: skip
        if item.event_time < min(arrivals):
            _refuse(
                item, TraceErrorCode.BEFORE_PREVIOUS_STEP,
                f"{key.uri}: sự kiện có thời điểm trước khi lô được xuất đến địa điểm của bạn "
                f"({min(arrivals).isoformat()})",
                409, "eventTime",
            )  # fmt: skip
    if not owns_some and not at_home:
        _refuse(
            item, TraceErrorCode.LOCATION_OUT_OF_SCOPE,
            "Bạn chỉ được ghi nhận sự kiện cho sản phẩm (GTIN) hoặc tại địa điểm (GLN) "
            "của doanh nghiệp mình",
            403, "bizLocation",
        )  # fmt: skip


def _check_chronology(
    item: ParsedEvent, recorded: _Firsts, firsts: _Firsts, lots: set[str]
) -> None:
    """The lot's history must stay in order: nothing before the lot existed (a new
    commissioning may not predate the recorded one), a receiving not before the shipping to
    that place, nothing after the lot was destroyed. `lots`: those with any moment
    (`firsts.lots()`), the only ones checked."""
    if "errorDeclaration" in item.body:
        return  # a correction repeats the event it declares in error
    places = _places(item)
    receiving = short_cbv("bizStep", item.body.get("bizStep", "")) == "receiving"
    for role, key in item.identifiers:
        if role not in PRODUCT_ROLES or key.uri not in lots:
            continue
        table = recorded if _commissions(item, role) else firsts
        born = table.earliest(table.commissioned, key.uri, besides=item.index)
        if born is not None and item.event_time < born:
            _refuse(
                item, TraceErrorCode.BEFORE_LOT_EXISTED,
                f"{key.uri}: thời điểm {item.event_time.isoformat()} trước khi lô được tạo "
                f"({born.isoformat()})",
                409, "eventTime",
            )  # fmt: skip
        destroyed = firsts.earliest(firsts.destroyed, key.uri, besides=item.index)
        if destroyed is not None and item.event_time > destroyed:
            _refuse(
                item, TraceErrorCode.AFTER_DESTROYING,
                f"{key.uri}: lô đã được ghi nhận tiêu hủy lúc {destroyed.isoformat()}",
                409, "eventTime",
            )  # fmt: skip
        if receiving:
            shipped = [
                when
                for gln in places
                if (when := firsts.earliest(firsts.shipped, (key.uri, gln), besides=item.index))
            ]
            if shipped and item.event_time < min(shipped):
                _refuse(
                    item, TraceErrorCode.BEFORE_PREVIOUS_STEP,
                    f"{key.uri}: nhận hàng trước khi lô được xuất đến đây "
                    f"({min(shipped).isoformat()})",
                    409, "eventTime",
                )  # fmt: skip


def check_writes(actor, parsed: list[ParsedEvent]) -> None:
    """The one rule for every traceability write (EPCIS capture, simple form, CSV, worker):
    the actor's write scope, then the lot's chronology, against what is recorded and the
    rest of the document. Raises CaptureRefused for the first event that breaks it."""
    scope = capture_scope(actor)
    uris = {
        key.uri
        for item in parsed
        for role, key in item.identifiers
        if role in PRODUCT_ROLES and _is_lot_key(key)
    }
    recorded = _recorded_firsts(uris)
    firsts = _Firsts(
        commissioned=dict(recorded.commissioned),
        destroyed=dict(recorded.destroyed),
        shipped=dict(recorded.shipped),
    )
    _document_firsts(parsed, firsts)
    lots = firsts.lots()
    for item in parsed:
        if not scope.unrestricted:
            _check_scope(item, scope, recorded)
        _check_chronology(item, recorded, firsts, lots)


def lots_writable_by(user) -> QuerySet[Lot]:
    """The lots the simple form offers: every lot to those who capture for anyone; to an
    enterprise user its own lots and those a recorded shipping event sent to its places."""
    lots = Lot.objects.select_related("product")
    scope = capture_scope(user)
    if scope.unrestricted:
        return lots
    received = EventEPC.objects.filter(
        gtin=OuterRef("product__gtin"),
        lot=OuterRef("code"),
        role__in=PRODUCT_ROLES,
        event__biz_step="shipping",
        event__has_error_declaration=False,
        event__declared_in_error=False,
        event__identifiers__role=EventEPC.Role.DESTINATION,
        event__identifiers__gln__in=scope.glns,
    )
    return lots.filter(Q(product__gtin__in=scope.gtins) | Exists(received))


# --- Capture limits ----------------------------------------------------------------------


def _check_limits(actor, count: int) -> None:
    """Refused before anything is stored: a document over SCPVN_EPCIS_MAX_EVENTS (413), and
    an enterprise user's capture that would take its enterprises past
    SCPVN_EPCIS_DAILY_EVENTS events today (429, until midnight). The quota is shared by the
    members of the enterprises the user captures for; officers capture without one."""
    limit = settings.SCPVN_EPCIS_MAX_EVENTS
    if count > limit:
        raise CaptureRefused(
            f"Tài liệu có {count} sự kiện, vượt giới hạn {limit} sự kiện mỗi lần gửi; "
            "hãy chia thành nhiều tài liệu",
            field="epcisBody.eventList", status=413, code=TraceErrorCode.CAPTURE_TOO_LARGE,
        )  # fmt: skip
    if actor is None or scope_q(actor, Enterprise, CAPTURE) == EVERYTHING:
        return
    quota = settings.SCPVN_EPCIS_DAILY_EVENTS
    # Capture.created_at is the real instant, so the day is the real one (not SCPVN_TODAY).
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    enterprises = restrict(Enterprise.objects.all(), actor, CAPTURE)
    used = (
        Capture.objects.filter(
            created_at__gte=midnight,
            state__in=[Capture.State.SUCCESS, Capture.State.QUEUED],
            user__in=User.objects.filter(enterprises__in=enterprises),
        ).aggregate(n=Sum("event_count"))["n"]
        or 0
    )
    if used + count > quota:
        tomorrow = midnight + dt.timedelta(days=1)
        raise CaptureRefused(
            f"Doanh nghiệp của bạn đã ghi nhận {used} sự kiện hôm nay; hạn mức là {quota} "
            "sự kiện mỗi ngày. Hãy gửi tiếp vào ngày mai hoặc liên hệ Sở Công Thương",
            status=429, code=TraceErrorCode.CAPTURE_QUOTA_EXCEEDED,
            retry_after=int((tomorrow - now).total_seconds()) + 1,
        )  # fmt: skip


def _writes_check(actor, document: dict):
    """What capture checks for the actor before storing: the events' write scope and
    chronology, and that the master data in the header describes only what they may."""

    def check(parsed: list[ParsedEvent]) -> None:
        check_master_data_scope(capture_scope(actor), document)
        check_writes(actor, parsed)

    return check


def capture_document(actor, document: dict) -> Capture:
    """Capture for `actor` (None: the programme itself, e.g. demo data). Limits, schema,
    write scope and chronology are checked before anything is stored, for large documents
    too; small ones are stored now (final when this returns), large ones are queued for the
    worker, which checks again against what was recorded meanwhile. Raises EventError
    (CaptureRefused for scpvn's own rules) and stores nothing."""
    count = len(event_list(document))
    _check_limits(actor, count)
    if count > SYNC_LIMIT:
        _writes_check(actor, document)(validate_document(document))
        capture = Capture.objects.create(user=actor, document=document, event_count=count)
        process_capture.enqueue(str(capture.pk))
        return capture
    capture = Capture(user=actor)
    with transaction.atomic():
        capture.save()
        store_document(document, capture, _writes_check(actor, document))
        _announce(capture)
    return capture


@task()
def process_capture(capture_id: str) -> str:
    """Worker side of a large capture, with the rights of the user who sent it."""
    capture = Capture.objects.select_related("user").get(pk=capture_id)
    if capture.state != Capture.State.QUEUED:
        return capture.state
    process_queued_capture(capture, _writes_check(capture.user, capture.document))
    if capture.state == Capture.State.SUCCESS:
        _announce(capture)
    return capture.state
