from uuid import UUID

from scpvn.core.tests.matrix import PUBLIC, SIGNED_IN, Rule
from scpvn.trace.tests.factories import GTIN, harvested_lot, product_for

CAPTURERS = frozenset({"city_admin", "agency_officer", "enterprise_user"})
CITY_WIDE_READERS = frozenset({"city_admin", "reviewer", "agency_officer"})


def _capture_id(w) -> UUID:
    from scpvn.trace.models import Capture

    return harvested_lot(w.enterprise).product and Capture.objects.filter(user=None).first().pk


def _event_id(w) -> str:
    from scpvn.trace.models import EventEPC

    lot = harvested_lot(w.enterprise)
    return EventEPC.objects.filter(uri=lot.uri).first().event.event_id


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
    "trace:resolver-description": Rule(get=PUBLIC),
    "trace:qr": Rule(get=PUBLIC, kwargs=lambda w: {"fmt": "svg", "code": f"01/{GTIN}/10/L001"}),
    "trace:capture": Rule(
        get=CAPTURERS, skip="POST only (GET answers 405): covered in test_capture"
    ),
    "trace:capture-detail": Rule(
        get=CITY_WIDE_READERS, kwargs=lambda w: {"capture_id": _capture_id(w)}
    ),
    "trace:events": Rule(get=SIGNED_IN),
    "trace:event-detail": Rule(get=SIGNED_IN, kwargs=lambda w: {"event_id": _event_id(w)}),
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
    "trace:lot-labels": Rule(
        get=SIGNED_IN, kwargs=lambda w: {"pk": harvested_lot(w.enterprise).pk}
    ),
}
