"""Demo registry: a few thousand enterprises with valid tax codes and real VSIC codes in
Hanoi's real districts, and the city's markets, supermarkets and shopping centres."""

import random
from collections.abc import Callable

from django.db import transaction
from faker import Faker
from stdnum.vn import mst

from scpvn.geo.models import District
from scpvn.orgs.models import User
from scpvn.registry.models import Enterprise, IndustrialZone, Place

ORDER = 30
SEED = 2020
ENTERPRISES = 4000
# Hanoi tax codes start with 01; the demo series is 019xxxxxx + the check digit.
TAX_SERIES = 9_000_000
# (share of enterprises, VSIC codes, name word, kind of distribution business, in a zone?)
PROFILES: list[tuple[float, list[str], str, str, bool]] = [
    (0.06, ["47111", "47191"], "Siêu thị", "supermarket", False),
    (0.02, ["6810", "4719"], "Trung tâm thương mại", "mall", False),
    (0.08, ["47112", "47192"], "Cửa hàng tiện lợi", "convenience", False),
    (0.10, ["46321", "46323", "46329", "4632"], "Thương mại thực phẩm", "wholesaler", False),
    (0.06, ["47210", "47221", "47223", "4722"], "Kinh doanh nông sản", "market_trader", False),
    (0.08, ["10101", "10102", "1050", "1079"], "Thực phẩm", "", False),
    (0.05, ["0112", "0118", "0146"], "Nông nghiệp sạch", "", False),
    (0.03, ["22201"], "Bao bì nhựa", "", False),
    (0.14, ["2599", "2710", "2930", "2220", "1311", "2011"], "Sản xuất công nghiệp", "", True),
    (0.38, ["4101", "4659", "6201", "7020", "5610", "4933", "8559"], "Dịch vụ", "", False),
]
FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"]
BRANDS = ["An Phát", "Hòa Bình", "Minh Long", "Thành Công", "Phú Thịnh", "Hồng Hà", "Sông Đà",
          "Thăng Long", "Kinh Bắc", "Tràng An", "Đông Á", "Việt Hưng", "Bảo Minh", "Hưng Thịnh",
          "Tân Việt", "Hà Thành", "Long Biên", "Sao Mai", "Nam Sơn", "Tiến Đạt"]  # fmt: skip
MARKET_NAMES = ["Hôm", "Mơ", "Long Biên", "Đồng Xuân", "Châu Long", "Ngọc Hà", "Thành Công",
                "Kim Liên", "Nghĩa Tân", "Hàng Da", "Phùng Khoang", "Xanh Văn Quán", "Ô Chợ Dừa",
                "Cầu Giấy", "Nam Đồng", "Thanh Xuân Bắc", "Văn Chương", "Bưởi", "Hà Đông",
                "Vồ", "Sóc Sơn", "Nhổn", "Mai Động", "Trương Định", "Khương Đình"]  # fmt: skip


def tax_codes(count: int) -> list[str]:
    """The demo series of valid 10-digit tax codes (check digit from stdnum)."""
    codes: list[str] = []
    n = 0
    while len(codes) < count:
        prefix = f"01{TAX_SERIES + n:07d}"
        digit = mst.calc_check_digit(prefix)
        if len(digit) == 1:
            codes.append(prefix + digit)
        n += 1
    return codes


def _pick_profile(rng: random.Random):
    roll, total = rng.random(), 0.0
    for profile in PROFILES:
        total += profile[0]
        if roll < total:
            return profile
    return PROFILES[-1]


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    codes = tax_codes(ENTERPRISES)
    if Enterprise.objects.filter(tax_code=codes[0]).exists():
        log("Sổ doanh nghiệp: đã có dữ liệu trình diễn")
        return
    rng = random.Random(SEED)
    fake = Faker("vi_VN")
    fake.seed_instance(SEED)
    districts = list(District.objects.all())
    # Inner-city districts have more shops; outer ones more farms and factories.
    weights = [3 if d.kind == "quan" else 1 for d in districts]
    zones = list(IndustrialZone.objects.select_related("district"))
    enterprises = []
    for i, code in enumerate(codes):
        _share, vsic, word, distribution, in_zone = _pick_profile(rng)
        zone = rng.choice(zones) if in_zone and rng.random() < 0.8 else None
        district = zone.district if zone else rng.choices(districts, weights)[0]
        enterprises.append(
            Enterprise(
                tax_code=code,
                name=f"{rng.choice(FORMS)} {word} {rng.choice(BRANDS)} {i + 1}",
                address=f"Số {rng.randint(1, 300)} {fake.street_name()}",
                district=district,
                vsic_code=rng.choice(vsic),
                size=rng.choices(["micro", "small", "medium", "large"], [5, 4, 2, 1])[0],
                industrial_zone=zone,
                distribution=distribution,
            )
        )
    Enterprise.objects.bulk_create(enterprises, batch_size=1000)
    created = {e.tax_code: e for e in Enterprise.objects.filter(tax_code__in=codes)}

    operators = {
        kind: [e for e in created.values() if e.distribution == kind]
        for kind in ("supermarket", "mall", "market_trader")
    }
    places = []
    for i, district in enumerate(districts):
        for j in range(5 if district.kind == "quan" else 4):
            name = MARKET_NAMES[(i * 5 + j) % len(MARKET_NAMES)]
            places.append(
                Place(
                    kind="market",
                    name=f"Chợ {name} ({district.short_name}) số {j + 1}",
                    district=district,
                    market_class=rng.choices([1, 2, 3], [1, 3, 4])[0],
                    address=f"{fake.street_name()}, {district.name}",
                )
            )
    for kind, label, count in (
        ("supermarket", "Siêu thị", 80),
        ("mall", "Trung tâm thương mại", 25),
    ):
        for operator in operators[kind][:count]:
            places.append(
                Place(
                    kind=kind,
                    name=f"{label} {operator.name.split(' ', 3)[-1]}",
                    district=operator.district,
                    operator=operator,
                    address=operator.address,
                )
            )
    Place.objects.bulk_create(places, batch_size=1000)

    demo_user = User.objects.filter(username="doanhnghiep").first()
    if demo_user:
        # The demo enterprise account runs a supermarket in Đống Đa (the demo district).
        supermarkets = operators["supermarket"]
        own = next((e for e in supermarkets if e.district.code == "006"), supermarkets[0])
        own.members.add(demo_user)
    log(f"Sổ doanh nghiệp: {len(enterprises)} doanh nghiệp, {len(places)} chợ, siêu thị, TTTM")
