"""Simple events: the harvest, processing, shipping, receiving and sale of enterprises that
know nothing of EPCIS, written as EPCIS events and captured like any client's."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scpvn.trace.capture import capture_document
from scpvn.trace.identifiers import gln_uri
from scpvn.trace.models import Capture, Location, Lot
from scpvn.trace.repository import EPCIS_CONTEXT

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
    return capture_document(user, epcis_document([epcis_event(item) for item in items]))
