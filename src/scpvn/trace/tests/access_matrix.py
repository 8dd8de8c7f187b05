from uuid import UUID

from django.urls import reverse
from django.utils import timezone

from scpvn.core.tests.matrix import IN_WORLD, NOBODY, PUBLIC, SIGNED_IN, Rule, Write
from scpvn.trace.tests.factories import (
    GLN_MARKET,
    GTIN,
    OTHER_GTIN,
    harvested_lot,
    location_for,
    lot_for,
    other_enterprise,
    product_for,
)

CAPTURERS = frozenset({"city_admin", "agency_officer", "enterprise_user"})
CITY_WIDE_READERS = frozenset({"city_admin", "reviewer", "agency_officer"})


def _capture_id(w) -> UUID:
    from scpvn.trace.models import Capture

    return harvested_lot(w.enterprise).product and Capture.objects.filter(user=None).first().pk


def _event_id(w) -> str:
    from scpvn.trace.models import EventEPC

    lot = harvested_lot(w.enterprise)
    return EventEPC.objects.filter(uri=lot.uri).first().event.event_id


def _compressed(gtin: str) -> str:
    from scpvn.trace.dlcompression import compress

    return compress(f"https://id.gs1.org/01/{gtin}").rpartition("/")[2]


RULES = {
    "trace:resolve-gtin": Rule(
        get=PUBLIC, kwargs=lambda w: {"gtin": product_for(w.enterprise).gtin}
    ),
    "trace:resolve-lot": Rule(
        get=PUBLIC, kwargs=lambda w: {"gtin": GTIN, "lot": harvested_lot(w.enterprise).code}
    ),
    "trace:resolve-serial": Rule(
        get=PUBLIC,
        kwargs=lambda w: {
            "gtin": GTIN,
            "serial": product_for(w.enterprise).items.get_or_create(serial="S1")[0].serial,
        },
    ),
    "trace:resolve-path": Rule(
        get=PUBLIC,
        skip="every other /01/… path (bad syntax → 400): covered in test_resolver_conformance",
    ),
    "trace:resolve-compressed": Rule(
        get=PUBLIC,
        kwargs=lambda w: {"compressed": _compressed(product_for(w.enterprise).gtin)},
    ),
    "trace:resolver-description": Rule(get=PUBLIC),
    "trace:qr": Rule(get=PUBLIC, kwargs=lambda w: {"fmt": "svg", "code": f"01/{GTIN}/10/L001"}),
    "trace:capture": Rule(
        get=CAPTURERS, skip="POST only (GET answers 405): covered in test_capture"
    ),
    "trace:capture-detail": Rule(
        get=CITY_WIDE_READERS, kwargs=lambda w: {"capture_id": _capture_id(w)}
    ),
    "trace:events": Rule(get=SIGNED_IN),
    "trace:queries": Rule(get=SIGNED_IN),
    "trace:query": Rule(
        get=SIGNED_IN,
        kwargs=lambda w: {"name": "matrix"},
        skip="its owner's alone (others get 404): test_epcis_protocol.py",
    ),
    "trace:query-events": Rule(
        get=SIGNED_IN,
        kwargs=lambda w: {"name": "matrix"},
        skip="its owner's alone (others get 404): test_epcis_protocol.py",
    ),
    "trace:subscriptions": Rule(
        get=SIGNED_IN,
        kwargs=lambda w: {"name": "matrix"},
        skip="its query's owner's alone (others get 404): test_subscriptions.py",
    ),
    "trace:subscription": Rule(
        get=SIGNED_IN,
        kwargs=lambda w: {"name": "matrix", "subscription_id": "0"},
        skip="its owner's alone (others get 404): test_subscriptions.py",
    ),
    "trace:epcis-not-found": Rule(get=NOBODY, kwargs=lambda w: {"rest": "no-such-endpoint"}),
    "trace:event-detail": Rule(get=IN_WORLD, kwargs=lambda w: {"event_id": _event_id(w)}),
    "trace:resources": Rule(get=SIGNED_IN, kwargs=lambda w: {"resource": "bizSteps"}),
    "trace:resource-events": Rule(
        get=SIGNED_IN, kwargs=lambda w: {"resource": "bizSteps", "value": "shipping"}
    ),
    "trace:index": Rule(get=SIGNED_IN),
    "trace:product-add": Rule(get=CAPTURERS),
    "trace:location-add": Rule(get=CAPTURERS),
    "trace:lot-add": Rule(get=CAPTURERS),
    "trace:certification-add": Rule(get=CAPTURERS),
    "trace:record": Rule(get=CAPTURERS),
    "trace:upload": Rule(get=CAPTURERS),
    "trace:lot-labels": Rule(get=IN_WORLD, kwargs=lambda w: {"pk": harvested_lot(w.enterprise).pk}),
}


def _lots(w) -> dict:
    """A lot of the world's enterprise and one of another enterprise that shipped it nothing:
    the simple form writes on its own lot only (officers on any)."""
    other = other_enterprise()
    location_for(w.enterprise)
    location_for(other, GLN_MARKET, "Chợ Long Biên")
    return {
        "own": lot_for(product_for(w.enterprise), "M-OWN"),
        "other": lot_for(product_for(other, OTHER_GTIN, "Cải ngọt"), "M-OTHER"),
    }


def _harvest_at_owner(w, lot) -> dict:
    return {
        "step": "harvest",
        "lot": lot.pk,
        "location": lot.product.enterprise.trace_locations.first().pk,
        "when": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "quantity": "5",
    }


def _has_events(lot) -> bool:
    from scpvn.trace.models import EventEPC

    return EventEPC.objects.filter(gtin=lot.product.gtin, lot=lot.code).exists()


WRITES = [
    Write(
        "page record a step",
        _lots,
        {
            "city_admin": frozenset({"own", "other"}),
            "agency_officer": frozenset({"own", "other"}),
            "enterprise_user": frozenset({"own"}),
        },
        lambda w, lot: reverse("trace:record"),
        _has_events,
        data=_harvest_at_owner,
    ),
]
