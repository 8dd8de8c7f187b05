"""Demo traceability: Hanoi farms, cooperatives, processors, a market and a supermarket, with
products, lots and full event chains (harvest → processing → shipping → receiving → sale),
so every QR page tells a real story. Events go through the same capture as the API."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone
from stdnum.vn import mst

from scpvn.core import clock
from scpvn.geo.models import District
from scpvn.orgs.models import User
from scpvn.registry.models import Enterprise
from scpvn.trace.identifiers import with_check_digit
from scpvn.trace.models import Certification, EventEPC, Location, Lot, Product
from scpvn.trace.simple_events import SimpleEvent, record_simple_events

ORDER = 70

# key: (tax code base without check digit, name, address, district code, VSIC, locations)
ENTERPRISES: dict[str, tuple[str, str, str, str, str, list[tuple[str, str, str]]]] = {
    "vanduc": ("010473688", "Hợp tác xã Rau an toàn Văn Đức", "Thôn Trung, xã Văn Đức", "018", "0113",
               [("001", "Cánh đồng rau Văn Đức", "farm")]),
    "phudien": ("017400297", "Hợp tác xã Bưởi Diễn Phú Diễn", "Phường Phú Diễn", "021", "0121",
                [("002", "Vườn bưởi Phú Diễn", "farm")]),
    "bavi": ("016471341", "Trang trại chăn nuôi Ba Vì Xanh", "Xã Tản Lĩnh", "271", "0145",
             [("003", "Trại lợn Tản Lĩnh", "farm")]),
    "unghoa": ("013573898", "Hợp tác xã Thủy sản Ứng Hòa", "Xã Hòa Lâm", "281", "0322",
               [("004", "Ao cá Hòa Lâm", "farm")]),
    "dongan": ("018319443", "Công ty TNHH Sơ chế Nông sản Đông Anh", "Xã Nguyên Khê", "017", "1030",
               [("005", "Xưởng sơ chế Nguyên Khê", "processor")]),
    "thanhtri": ("013293803", "Công ty CP Thực phẩm sạch Thanh Trì", "Xã Ngũ Hiệp", "020", "1010",
                 [("006", "Nhà máy giết mổ, chế biến Ngũ Hiệp", "processor")]),
    "longbien": ("015899456", "Công ty Quản lý chợ đầu mối Long Biên", "Phường Phúc Xá", "004", "6820",
                 [("007", "Chợ đầu mối Long Biên", "market")]),
    "sieuthi": ("019849165", "Công ty CP Siêu thị Xanh Hà Nội", "Đường Trần Duy Hưng", "005", "4711",
                [("008", "Siêu thị Xanh Trung Hòa", "store"), ("009", "Kho phân phối Xanh Cầu Giấy", "warehouse")]),
}  # fmt: skip
COMPANY_PREFIX = "8930001"  # a demo GS1 Việt Nam company prefix


def gln(ref: str) -> str:
    return with_check_digit(COMPANY_PREFIX + "00" + ref)


def gtin(ref: str) -> str:
    return with_check_digit(COMPANY_PREFIX + "00" + ref)


# key: (item ref, name, enterprise, category, unit, certifications [(kind, rating)])
PRODUCTS = {
    "caingot": ("101", "Rau cải ngọt VietGAP", "vanduc", "Rau", "kg", [("vietgap", "")]),
    "caingot_tui": (
        "102",
        "Rau cải ngọt sơ chế đóng túi 500 g",
        "dongan",
        "Rau",
        "kg",
        [("haccp", "")],
    ),
    "buoi": (
        "201",
        "Bưởi Diễn Phú Diễn",
        "phudien",
        "Trái cây",
        "kg",
        [("ocop", "4 sao"), ("vietgap", "")],
    ),
    "lon": ("301", "Lợn thịt Ba Vì", "bavi", "Thịt", "kg", [("vietgap", "")]),
    "bachi": (
        "302",
        "Thịt ba chỉ lợn sạch Ba Vì (khay 500 g)",
        "thanhtri",
        "Thịt",
        "kg",
        [("food_safety", "")],
    ),
    "catram": ("401", "Cá trắm Ứng Hòa", "unghoa", "Thủy sản", "kg", [("organic", "")]),
}
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def _enterprises(log) -> dict[str, Enterprise]:
    out = {}
    for key, (base, name, address, district, vsic, places) in ENTERPRISES.items():
        enterprise, _ = Enterprise.objects.update_or_create(
            tax_code=base + mst.calc_check_digit(base),
            defaults={
                "name": name,
                "address": address,
                "district": District.objects.get(code=district),
                "vsic_code": vsic,
            },
        )
        out[key] = enterprise
        for ref, place, kind in places:
            Location.objects.update_or_create(
                gln=gln(ref),
                defaults={"name": place, "kind": kind, "enterprise": enterprise, "address": address,
                          "district": enterprise.district},
            )  # fmt: skip
    member = User.objects.filter(username="doanhnghiep").first()
    if member:
        out["vanduc"].members.add(member)
    return out


def _products(enterprises: dict[str, Enterprise]) -> dict[str, Product]:
    out = {}
    today = clock.today()
    for key, (ref, name, owner, category, unit, certs) in PRODUCTS.items():
        product, _ = Product.objects.update_or_create(
            gtin=gtin(ref).zfill(14),
            defaults={"name": name, "enterprise": enterprises[owner], "category": category, "unit": unit,
                      "description": f"{name} — sản phẩm nông nghiệp an toàn của Hà Nội."},
        )  # fmt: skip
        for n, (kind, rating) in enumerate(certs):
            Certification.objects.update_or_create(
                product=product, kind=kind,
                defaults={"number": f"{kind.upper()}-HN-{ref}{n}", "issuer": "Sở Nông nghiệp và PTNT Hà Nội",
                          "valid_from": today - 200 * DAY, "valid_until": today + 500 * DAY, "rating": rating},
            )  # fmt: skip
        out[key] = product
    return out


def _lot(product: Product, code: str, day: dt.date, origin: str) -> Lot:
    lot, _ = Lot.objects.update_or_create(
        product=product, code=code,
        defaults={"produced_on": day, "best_before": day + 7 * DAY, "origin": Location.objects.get(gln=gln(origin))},
    )  # fmt: skip
    return lot


def _chains(products: dict[str, Product], start: dt.datetime) -> list[list[SimpleEvent]]:
    place = {
        ref: Location.objects.get(gln=gln(ref))
        for ref in ("001", "002", "003", "004", "005", "006", "007", "008", "009")
    }
    chains = []
    for n in range(2):
        t = start + n * 7 * DAY
        day = t.date()
        raw = _lot(products["caingot"], f"CN{day:%y%m%d}", day, "001")
        bag = _lot(products["caingot_tui"], f"CT{day:%y%m%d}", day, "005")
        chains.append([
            SimpleEvent("harvest", raw, place["001"], t, Decimal(400)),
            SimpleEvent("shipping", raw, place["001"], t + 2 * HOUR, Decimal(400), destination=place["005"]),
            SimpleEvent("receiving", raw, place["005"], t + 4 * HOUR, Decimal(400)),
            SimpleEvent("processing", raw, place["005"], t + 6 * HOUR, Decimal(380), output_lot=bag),
            SimpleEvent("shipping", bag, place["005"], t + 10 * HOUR, Decimal(380), destination=place["009"]),
            SimpleEvent("receiving", bag, place["009"], t + 12 * HOUR, Decimal(380)),
            SimpleEvent("shipping", bag, place["009"], t + 20 * HOUR, Decimal(120), destination=place["008"]),
            SimpleEvent("receiving", bag, place["008"], t + 21 * HOUR, Decimal(120)),
            SimpleEvent("sale", bag, place["008"], t + 30 * HOUR, Decimal(95)),
        ])  # fmt: skip
        fruit = _lot(products["buoi"], f"BD{day:%y%m%d}", day, "002")
        chains.append([
            SimpleEvent("harvest", fruit, place["002"], t, Decimal(1200)),
            SimpleEvent("shipping", fruit, place["002"], t + 5 * HOUR, Decimal(1000), destination=place["007"]),
            SimpleEvent("receiving", fruit, place["007"], t + 7 * HOUR, Decimal(1000)),
            SimpleEvent("sale", fruit, place["007"], t + 9 * HOUR, Decimal(850)),
        ])  # fmt: skip
        pigs = _lot(products["lon"], f"LN{day:%y%m%d}", day, "003")
        cuts = _lot(products["bachi"], f"BC{day:%y%m%d}", day, "006")
        chains.append([
            SimpleEvent("harvest", pigs, place["003"], t - DAY, Decimal(2400)),
            SimpleEvent("shipping", pigs, place["003"], t - DAY + 3 * HOUR, Decimal(2400), destination=place["006"]),
            SimpleEvent("receiving", pigs, place["006"], t - DAY + 6 * HOUR, Decimal(2400)),
            SimpleEvent("processing", pigs, place["006"], t, Decimal(2400), output_lot=cuts),
            SimpleEvent("shipping", cuts, place["006"], t + 4 * HOUR, Decimal(600), destination=place["008"]),
            SimpleEvent("receiving", cuts, place["008"], t + 6 * HOUR, Decimal(600)),
            SimpleEvent("sale", cuts, place["008"], t + 12 * HOUR, Decimal(540)),
        ])  # fmt: skip
        fish = _lot(products["catram"], f"CA{day:%y%m%d}", day, "004")
        chains.append([
            SimpleEvent("harvest", fish, place["004"], t + HOUR, Decimal(800)),
            SimpleEvent("shipping", fish, place["004"], t + 2 * HOUR, Decimal(800), destination=place["007"]),
            SimpleEvent("receiving", fish, place["007"], t + 4 * HOUR, Decimal(800)),
            SimpleEvent("sale", fish, place["007"], t + 7 * HOUR, Decimal(760)),
        ])  # fmt: skip
    return chains


def load(log: Callable[[str], None]) -> None:
    enterprises = _enterprises(log)
    products = _products(enterprises)
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 5, 30))
    captured = 0
    for chain in _chains(products, start):
        if EventEPC.objects.filter(uri=chain[0].lot.uri).exists():
            continue  # this journey is already recorded: loading twice changes nothing
        captured += record_simple_events(chain, None).event_count
    log(
        f"trace: {len(enterprises)} doanh nghiệp, {len(products)} sản phẩm, {captured} sự kiện EPCIS mới"
    )
