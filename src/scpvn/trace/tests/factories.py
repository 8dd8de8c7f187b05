"""Small traceability worlds for tests: an enterprise's product, place, lot and events."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from scpvn.geo.models import District
from scpvn.registry.models import Enterprise
from scpvn.trace.models import Certification, Location, Lot, Product
from scpvn.trace.simple_events import SimpleEvent, record_simple_events

# The GS1 examples travel with the project (see standards/README.md for source and licence).
EPCIS_STANDARDS = Path(__file__).resolve().parents[1] / "standards"


def corpus_events(corpus: dict[str, list[str]]) -> list[tuple[str, dict]]:
    """The events of third-party documents (path under `standards/` → a label per event),
    each with its label, so a test can name the events a query must return."""
    found = []
    for path, labels in corpus.items():
        events = json.loads((EPCIS_STANDARDS / path).read_text())["epcisBody"]["eventList"]
        found += zip(labels, events, strict=True)
    return found


def corpus_label(originals: list[tuple[str, dict]], event: dict) -> str:
    """Which corpus event a returned one is: the stored event is the original plus the
    eventID and recordTime the repository adds."""
    for name, original in originals:
        if all(event.get(k) == v for k, v in original.items()):
            return name
    raise AssertionError(f"not a corpus event: {event.get('eventID')}")


GTIN = "08930001001015"  # valid check digit
OTHER_GTIN = "08930001009998"
GLN_FARM = "8930001000018"
GLN_MARKET = "8930001000070"


def example_documents() -> list[Path]:
    files = sorted((EPCIS_STANDARDS / "examples").glob("*.jsonld"))
    assert files, f"EPCIS examples not found under {EPCIS_STANDARDS}"
    return [f for f in files if '"EPCISDocument"' in f.read_text()]


def product_for(
    enterprise: Enterprise, gtin: str = GTIN, name: str = "Rau muống VietGAP"
) -> Product:
    product, _ = Product.objects.get_or_create(
        gtin=gtin, defaults={"name": name, "enterprise": enterprise}
    )
    today = timezone.localdate()
    Certification.objects.get_or_create(
        product=product,
        kind="vietgap",
        defaults={
            "number": "VG-01",
            "issuer": "Sở NN&PTNT",
            "valid_from": today - dt.timedelta(days=10),
        },
    )
    return product


def location_for(
    enterprise: Enterprise, gln: str = GLN_FARM, name: str = "Ruộng rau Đống Đa"
) -> Location:
    location, _ = Location.objects.get_or_create(
        gln=gln,
        defaults={
            "name": name,
            "kind": "farm",
            "enterprise": enterprise,
            "district": enterprise.district,
        },
    )
    return location


def lot_for(product: Product, code: str = "L001") -> Lot:
    return Lot.objects.get_or_create(
        product=product, code=code, defaults={"produced_on": timezone.localdate()}
    )[0]


def other_enterprise() -> Enterprise:
    return Enterprise.objects.get_or_create(
        tax_code="0104736884",
        defaults={
            "name": "Chợ Long Biên",
            "district": District.objects.get(code="004"),
            "vsic_code": "6820",
        },
    )[0]


def harvested_lot(enterprise: Enterprise) -> Lot:
    """A lot with a harvest, a shipment to a market of another enterprise, and its receipt."""
    product, farm = product_for(enterprise), location_for(enterprise)
    market = location_for(other_enterprise(), GLN_MARKET, "Chợ Long Biên")
    lot = lot_for(product)
    if not lot.product.lots.filter(code=lot.code).exists() or not _has_events(lot):
        when = timezone.make_aware(dt.datetime(2026, 3, 1, 6, 0))
        record_simple_events(
            [
                SimpleEvent("harvest", lot, farm, when, Decimal(100)),
                SimpleEvent(
                    "shipping",
                    lot,
                    farm,
                    when + dt.timedelta(hours=2),
                    Decimal(100),
                    destination=market,
                ),
                SimpleEvent("receiving", lot, market, when + dt.timedelta(hours=4), Decimal(100)),
            ],
            None,
        )
    return lot


def _has_events(lot: Lot) -> bool:
    from scpvn.trace.models import EventEPC

    return EventEPC.objects.filter(uri=lot.uri).exists()
