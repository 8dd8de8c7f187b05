"""The synthetic province's traceability: products with valid GTINs of its food producers,
farms and stores with valid GLNs, lots, and each lot's EPCIS chain (commissioning → packing
→ shipping → receiving → retail selling) with its identifier links, written as the
repository stores a capture (`scpvn synth`, see `scpvn.core.synthetic`)."""

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal

from scpvn.core.synthetic import Run
from scpvn.trace.identifiers import gln_uri, gtin_uri, with_check_digit
from scpvn.trace.maintenance import after_bulk_load
from scpvn.trace.models import Capture, Event, EventEPC, Location, Lot, Product

ORDER = 70
# A synthetic GS1 company prefix range, apart from the demo's 8930001.
GTIN_BASE = "0893"
GLN_BASE = "893"
SERIAL_BASE = 5_000_000
CHAIN = [("commissioning", "ADD"), ("packing", "OBSERVE"), ("shipping", "OBSERVE"),
         ("receiving", "OBSERVE"), ("retail_selling", "OBSERVE")]  # fmt: skip
CBV = "https://ref.gs1.org/cbv/BizStep-"
NAMESPACE = uuid.UUID("6f1c1a4e-5b0e-4a57-9a59-2f4f3c1d2025")
LINKS_PER_EVENT = 3


def gtin(n: int) -> str:
    return with_check_digit(f"{GTIN_BASE}{SERIAL_BASE + n:09d}")


def gln(n: int) -> str:
    return with_check_digit(f"{GLN_BASE}{SERIAL_BASE + n:09d}")


def generate(run: Run) -> None:
    rng = run.rng
    lots_count = max(1, run.counts["events"] // len(CHAIN))
    producers = run.made["enterprises"]
    districts = run.made["districts"]
    product_count = max(1, min(len(producers), lots_count // 100 or 1))
    product_ids = run.ids(Product, product_count)
    run.insert(
        Product,
        (
            {"id": pk, "gtin": gtin(pk), "name": f"Nông sản an toàn {pk}",
             "enterprise_id": producers[i % len(producers)], "category": "Rau", "unit": "kg"}
            for i, pk in enumerate(product_ids)
        ),
        product_count,
        "sản phẩm (products)",
    )  # fmt: skip
    # a farm per product's enterprise, and one store for every ten products
    store_count = max(1, product_count // 10)
    location_ids = run.ids(Location, product_count + store_count)
    farms, stores = location_ids[:product_count], location_ids[product_count:]
    kinds = {pk: Location.Kind.FARM for pk in farms} | {pk: Location.Kind.STORE for pk in stores}
    run.insert(
        Location,
        (
            {"id": pk, "gln": gln(pk), "name": f"Địa điểm {pk}", "kind": kinds[pk],
             "enterprise_id": producers[i % len(producers)],
             "district_id": districts[i % len(districts)]}
            for i, pk in enumerate(location_ids)
        ),
        len(location_ids),
        "địa điểm (locations)",
    )  # fmt: skip
    glns = {pk: gln(pk) for pk in location_ids}
    gtins = {pk: gtin(pk) for pk in product_ids}
    lot_ids = run.ids(Lot, lots_count)
    start = dt.date(2025, 7, 1)
    lots: list[tuple[int, str, int, dt.date]] = []  # product, code, farm, day
    for i, pk in enumerate(lot_ids):
        product = product_ids[i % product_count]
        lots.append(
            (
                product,
                f"S{pk}",
                farms[i % product_count],
                start + dt.timedelta(days=rng.randrange(180)),
            )
        )
    run.insert(
        Lot,
        (
            {"id": pk, "product_id": product, "code": code, "produced_on": day,
             "best_before": day + dt.timedelta(days=7), "quantity": Decimal(rng.randint(50, 500)),
             "origin_id": farm}
            for pk, (product, code, farm, day) in zip(lot_ids, lots, strict=True)
        ),
        lots_count,
        "lô hàng (lots)",
    )  # fmt: skip
    capture = Capture.objects.create(state=Capture.State.SUCCESS, finished_at=run.now)
    total = lots_count * len(CHAIN)
    event_ids = run.ids(Event, total)
    link_ids = run.ids(EventEPC, total * LINKS_PER_EVENT)
    chain = [(step, action, index) for index, (step, action) in enumerate(CHAIN)]

    def place(farm: int, step_index: int, salt: int) -> int:
        return farm if step_index < 2 else stores[salt % len(stores)]

    def events() -> Iterator[dict]:
        pk = event_ids.start
        for product, code, farm, day in lots:
            lot_uri = gtin_uri(gtins[product], code)
            for step, action, index in chain:
                where = gln_uri(glns[place(farm, index, pk)])
                when = dt.datetime.combine(day, dt.time(6 + 2 * index), tzinfo=dt.UTC)
                event_id = f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{lot_uri}/{step}')}"
                yield {
                    "id": pk, "event_id": event_id, "event_type": "ObjectEvent", "action": action,
                    "biz_step": step, "read_point": where, "biz_location": where,
                    "event_time": when, "event_time_zone_offset": "+07:00", "record_time": run.now,
                    "capture_id": capture.pk, "epcs": sorted([lot_uri, where]),
                    "document": {
                        "type": "ObjectEvent", "eventID": event_id, "action": action,
                        "bizStep": CBV + step, "eventTime": when.isoformat().replace("+00:00", "Z"),
                        "eventTimeZoneOffset": "+07:00",
                        "quantityList": [{"epcClass": lot_uri, "quantity": 100, "uom": "KGM"}],
                        "readPoint": {"id": where}, "bizLocation": {"id": where},
                        "recordTime": run.now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                    },
                }  # fmt: skip
                pk += 1

    def links() -> Iterator[dict]:
        pk, event = link_ids.start, event_ids.start
        for product, code, farm, _day in lots:
            for _step, _action, index in chain:
                location = glns[place(farm, index, event)]
                for role, uri, gtin_, lot_, gln_ in (
                    ("epc_class", gtin_uri(gtins[product], code), gtins[product], code, ""),
                    ("read_point", gln_uri(location), "", "", location),
                    ("biz_location", gln_uri(location), "", "", location),
                ):
                    yield {"id": pk, "event_id": event, "role": role, "uri": uri, "gtin": gtin_,
                           "lot": lot_, "serial": "", "gln": gln_}  # fmt: skip
                    pk += 1
                event += 1

    run.insert(Event, events(), total, "sự kiện EPCIS (events)")
    run.insert(EventEPC, links(), total * LINKS_PER_EVENT, "liên kết mã (identifier links)")
    Capture.objects.filter(pk=capture.pk).update(event_count=total)
    # the GIN index's pending list holds the last COPYs' identifiers until merged
    after_bulk_load()
