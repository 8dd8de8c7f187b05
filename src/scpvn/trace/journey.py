"""What a consumer sees: a product's journey from its captured events, and the page's
version and the codes it knows."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from scpvn.core import clock
from scpvn.trace.identifiers import CANONICAL_HOST
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
