"""Traceability rules: who may record what, the simple events of enterprises that know
nothing of EPCIS, the journey a consumer sees, and the enterprises counted by indicator 4.4.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scpvn.core import clock
from scpvn.orgs.policy import EVERYTHING, check, check_role, restrict, scope_q
from scpvn.orgs.roles import Role
from scpvn.registry.models import Enterprise
from scpvn.registry.services import enterprises_visible_to
from scpvn.trace.errors import TraceErrorCode
from scpvn.trace.identifiers import CANONICAL_HOST, gln_uri
from scpvn.trace.models import Capture, Certification, Event, EventEPC, Location, Lot, Product
from scpvn.trace.repository import EPCIS_CONTEXT, Scope, capture_document
from scpvn.trace.scopes import CAPTURE


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
    return restrict(Location.objects.select_related("district"), user)


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
    """Indicator 4.4 (enterprises in the safe agri-food chain traceable by QR code): the
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


# --- simple events: harvest, processing, shipping, receiving, sale -----------------------

STEPS = {
    "harvest": _("Thu hoạch / sản xuất"),
    "processing": _("Sơ chế, chế biến, đóng gói"),
    "shipping": _("Xuất hàng"),
    "receiving": _("Nhận hàng"),
    "sale": _("Bán lẻ"),
}


@dataclass
class SimpleEvent:
    """One line of the simple form or CSV: what happened to which lot, where and when."""

    step: str
    lot: Lot
    location: Location
    when: dt.datetime
    quantity: Decimal | None = None
    destination: Location | None = None
    output_lot: Lot | None = None
    note: str = ""


def _quantity(lot: Lot, quantity: Decimal | None) -> dict:
    element: dict = {"epcClass": lot.uri}
    if quantity is not None:
        element["quantity"] = float(quantity)
        if lot.product.unit.upper() in UOM:
            element["uom"] = UOM[lot.product.unit.upper()]
    return element


UOM = {"KG": "KGM", "G": "GRM", "TẤN": "TNE", "L": "LTR", "LÍT": "LTR", "T": "TNE"}


def epcis_event(item: SimpleEvent) -> dict:
    """The standard EPCIS event a simple step stands for (CBV 2.0 business steps)."""
    when = item.when if timezone.is_aware(item.when) else timezone.make_aware(item.when)
    offset = when.strftime("%z")
    event: dict = {
        "type": "ObjectEvent",
        "eventTime": when.isoformat(),
        "eventTimeZoneOffset": f"{offset[:3]}:{offset[3:]}",
    }
    place = {"id": gln_uri(item.location.gln)}
    if item.step == "processing":
        if item.output_lot is None:
            raise ValueError("processing needs an output lot")
        event.update(
            type="TransformationEvent",
            inputQuantityList=[_quantity(item.lot, item.quantity)],
            outputQuantityList=[_quantity(item.output_lot, None)],
            bizStep="commissioning",
            disposition="active",
        )
    else:
        event["action"] = "ADD" if item.step == "harvest" else "OBSERVE"
        event["quantityList"] = [_quantity(item.lot, item.quantity)]
        event["bizStep"], event["disposition"] = {
            "harvest": ("commissioning", "active"),
            "shipping": ("shipping", "in_transit"),
            "receiving": ("receiving", "in_progress"),
            "sale": ("retail_selling", "retail_sold"),
        }[item.step]
    event["readPoint"] = place
    event["bizLocation"] = place
    if item.step == "shipping" and item.destination is not None:
        event["sourceList"] = [{"type": "location", "source": gln_uri(item.location.gln)}]
        event["destinationList"] = [
            {"type": "location", "destination": gln_uri(item.destination.gln)}
        ]
    if item.note:
        event["rdfs:comment"] = item.note
    return event


def epcis_document(events: list[dict]) -> dict:
    return {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisBody": {"eventList": events},
    }


def record_simple_events(items: list[SimpleEvent], user) -> Capture:
    """Forms and CSV go through the same capture as any EPCIS client: same checks, same rights."""
    return capture_document(
        epcis_document([epcis_event(item) for item in items]), user, capture_scope(user)
    )


# --- what a consumer sees ----------------------------------------------------------------


@dataclass
class JourneyStep:
    event: Event
    label: str
    location: Location | None
    when: dt.datetime
    quantity: str = ""


@dataclass
class Journey:
    product: Product
    lot: Lot | None
    serial: str
    steps: list[JourneyStep] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)

    @property
    def places(self) -> list[Location]:
        seen: list[Location] = []
        for step in self.steps:
            if step.location and step.location not in seen:
                seen.append(step.location)
        return seen


def step_label(event: Event) -> str:
    if event.event_type == "TransformationEvent":
        return str(STEPS["processing"])
    labels = {
        "commissioning": STEPS["harvest"],
        "shipping": STEPS["shipping"],
        "departing": STEPS["shipping"],
        "receiving": STEPS["receiving"],
        "arriving": STEPS["receiving"],
        "retail_selling": STEPS["sale"],
        "inspecting": _("Kiểm tra chất lượng"),
        "packing": _("Đóng gói"),
        "storing": _("Lưu kho"),
    }
    return str(labels.get(event.biz_step, event.biz_step or event.event_type))


def _events_for(uris: set[str], gtin_only: str = "") -> list[Event]:
    links = EventEPC.objects.filter(uri__in=uris)
    if gtin_only:
        links = EventEPC.objects.filter(gtin=gtin_only)
    return list(
        Event.objects.filter(
            pk__in=links.values("event_id"), declared_in_error=False, has_error_declaration=False
        )
    )


def journey(product: Product, lot_code: str = "", serial: str = "", depth: int = 3) -> Journey:
    """The events of this product, lot or item, plus those of the lots it was made from
    (transformation inputs, followed back up to `depth` steps), oldest first."""
    lot = product.lots.filter(code=lot_code).first() if lot_code else None
    if serial and lot is None:
        item = product.items.filter(serial=serial).select_related("lot").first()
        lot = item.lot if item else None
    uris = set()
    base = f"{CANONICAL_HOST}/01/{product.gtin}"
    if serial:
        uris.add(f"{base}/21/{serial}")
    if lot:
        uris.add(lot.uri)
    events = _events_for(uris) if uris else _events_for(set(), gtin_only=product.gtin)
    seen = {event.pk for event in events}
    frontier = uris
    for _round in range(depth):
        inputs = (
            set(
                EventEPC.objects.filter(
                    event__in=[e for e in events if e.event_type == "TransformationEvent"],
                    role__in=["input", "input_class"],
                ).values_list("uri", flat=True)
            )
            - frontier
        )
        if not inputs:
            break
        frontier |= inputs
        for event in _events_for(inputs):
            if event.pk not in seen:
                seen.add(event.pk)
                events.append(event)
    events.sort(key=lambda e: (e.event_time, e.pk))
    glns = {
        link.event_id: link.gln
        for link in EventEPC.objects.filter(
            event__in=events, role__in=["biz_location", "read_point"]
        ).exclude(gln="")
    }
    locations = {
        loc.gln: loc
        for loc in Location.objects.filter(gln__in=set(glns.values())).select_related(
            "district", "enterprise"
        )
    }
    steps = [
        JourneyStep(
            event=event,
            label=step_label(event),
            location=locations.get(glns.get(event.pk, "")),
            when=event.event_time,
            quantity=_quantity_text(event),
        )
        for event in events
    ]
    today = clock.today()
    certifications = list(
        product.certifications.filter(valid_from__lte=today).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
    )
    return Journey(
        product=product, lot=lot, serial=serial, steps=steps, certifications=certifications
    )


def _quantity_text(event: Event) -> str:
    for key in ("quantityList", "outputQuantityList", "inputQuantityList"):
        for element in event.document.get(key, []):
            if "quantity" in element:
                unit = {"KGM": "kg", "TNE": "tấn", "LTR": "lít", "GRM": "g"}.get(
                    element.get("uom", ""), element.get("uom", "")
                )
                return f"{element['quantity']:g} {unit}".strip()
    return ""


def product_for_page(gtin: str) -> Product | None:
    """The product with what its page's ETag needs, in one query: the newest identifier link
    of its GTIN (every capture, error declarations included, adds links with higher ids) and
    its newest certification."""
    return (
        Product.objects.select_related("enterprise__district")
        .annotate(
            last_link=Subquery(
                EventEPC.objects.filter(gtin=OuterRef("gtin")).order_by("-pk").values("pk")[:1]
            ),
            last_certification=Max("certifications__pk"),
        )
        .filter(gtin=gtin)
        .first()
    )


def page_version(product: Product) -> str:
    """Fingerprint for HTTP caching of the consumer page: the product, its events and
    certifications, and today's date (certifications expire)."""
    return ".".join(
        str(part)
        for part in (
            product.pk,
            product.updated_at.timestamp(),
            product.last_link,
            product.last_certification,
            clock.today(),
        )
    )


def code_is_known(product: Product, lot_code: str = "", serial: str = "") -> bool:
    """A lot or serial resolves if it is in the master data or named by a captured event."""
    if serial:
        return (
            product.items.filter(serial=serial).exists()
            or EventEPC.objects.filter(gtin=product.gtin, serial=serial).exists()
        )
    if lot_code:
        return (
            product.lots.filter(code=lot_code).exists()
            or EventEPC.objects.filter(gtin=product.gtin, lot=lot_code).exists()
        )
    return True
