"""What a consumer sees: a product's journey from its captured events, and the page's
version and the codes it knows."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from scpvn.core import clock
from scpvn.trace.digitallink import ResolverPath
from scpvn.trace.identifiers import gtin_uri
from scpvn.trace.models import Certification, Event, EventEPC, Location, Lot, Product
from scpvn.trace.simple_events import STEPS


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
    truncated: bool = False

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


def _page_rows() -> int:
    """The most rows of each kind a public page reads (events, inputs, lots, certificates)."""
    return settings.SCPVN_TRACE_PAGE_MAX_ROWS


def _events_for(uris: set[str], limit: int) -> list[Event]:
    """At most `limit` events naming these identifiers. The limit sits on the identifier
    look-up itself (no ordering, so the index scan stops there): the cost of a page does not
    grow with the events later captured on the same lot."""
    links = EventEPC.objects.filter(uri__in=uris).values_list("event_id", flat=True)[:limit]
    return list(
        Event.objects.filter(
            pk__in=list(links), declared_in_error=False, has_error_declaration=False
        )
    )


def journey(product: Product, lot_code: str = "", serial: str = "", depth: int = 3) -> Journey:
    """The events of this lot or item, plus those of the lots it was made from
    (transformation inputs, followed back up to `depth` steps), oldest first; at most
    SCPVN_TRACE_PAGE_MAX_ROWS events in all (`truncated` says when more were left out).
    The product itself has no chain: its page lists its lots (`product_lots`)."""
    lot = product.lots.filter(code=lot_code).first() if lot_code else None
    if serial and lot is None:
        item = product.items.filter(serial=serial).select_related("lot").first()
        lot = item.lot if item else None
    uris = set()
    if serial:
        uris.add(gtin_uri(product.gtin, serial=serial))
    if lot:
        uris.add(lot.uri)
    elif lot_code:
        uris.add(gtin_uri(product.gtin, lot=lot_code))
    limit = _page_rows()
    events = _events_for(uris, limit + 1) if uris else []
    seen = {event.pk for event in events}
    frontier = set(uris)
    for _round in range(depth):
        if len(events) > limit:
            break
        inputs = (
            set(
                EventEPC.objects.filter(
                    event__in=[e for e in events if e.event_type == "TransformationEvent"],
                    role__in=["input", "input_class"],
                ).values_list("uri", flat=True)[:limit]
            )
            - frontier
        )
        if not inputs:
            break
        frontier |= inputs
        for event in _events_for(inputs, limit + 1 - len(events)):
            if event.pk not in seen:
                seen.add(event.pk)
                events.append(event)
    truncated = len(events) > limit
    events.sort(key=lambda e: (e.event_time, e.pk))
    events = events[:limit]
    glns = {
        link.event_id: link.gln
        for link in EventEPC.objects.filter(
            event__in=events, role__in=["biz_location", "read_point"]
        ).exclude(gln="")
    }
    locations = {
        loc.gln: loc
        for loc in Location.objects.filter(gln__in=set(glns.values())).select_related(
            "district", "unit", "enterprise"
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
    return Journey(
        product=product,
        lot=lot,
        serial=serial,
        steps=steps,
        certifications=valid_certifications(product),
        truncated=truncated,
    )


def valid_certifications(product: Product) -> list[Certification]:
    """The product's certifications valid today on the app's clock (a bounded few)."""
    today = clock.today()
    return list(
        product.certifications.filter(valid_from__lte=today).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )[: _page_rows()]
    )


def product_lots(product: Product):
    """The product's lots, newest first, at most SCPVN_TRACE_PAGE_MAX_ROWS of them: sliced
    here so that a paginator's count runs over the slice, never over every lot."""
    return product.lots.order_by("-produced_on", "-pk")[: _page_rows()]


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
    of its GTIN (every capture, error declarations included, adds links with higher ids), its
    newest lot (the product page lists them) and its newest certification."""
    return (
        Product.objects.select_related("enterprise__district", "enterprise__unit")
        .annotate(
            last_link=Subquery(
                EventEPC.objects.filter(gtin=OuterRef("gtin")).order_by("-pk").values("pk")[:1]
            ),
            last_lot=Subquery(
                Lot.objects.filter(product=OuterRef("pk")).order_by("-pk").values("pk")[:1]
            ),
            last_certification=Max("certifications__pk"),
        )
        .filter(gtin=gtin)
        .first()
    )


def page_version(product: Product) -> str:
    """Fingerprint for HTTP caching of the consumer page: the product, its events and
    lots and certifications, and today's date (certifications expire)."""
    return ".".join(
        str(part)
        for part in (
            product.pk,
            product.updated_at.timestamp(),
            product.last_link,
            product.last_lot,
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


def known_levels(product: Product, asked: ResolverPath) -> list[ResolverPath]:
    """The levels of `asked` (itself, then each one above it) that the resolver has links
    for, most specific first; the bare GTIN always. A level is known when every qualifier in
    it is: a lot or serial by `code_is_known`; a variant (22) or a third-party serial (235)
    never, since no master data records them. The first item is where a walk-up lands."""
    known_codes = {
        ai: code_is_known(product, **{"lot_code" if ai == "10" else "serial": value})
        for ai, value in asked.qualifiers
        if ai in ("10", "21")
    }
    return [
        level
        for level in asked.levels()
        if all(known_codes.get(ai, False) for ai, _value in level.qualifiers)
    ]
