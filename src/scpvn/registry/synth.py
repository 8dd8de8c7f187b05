"""The synthetic province's registry: enterprises with valid tax codes and VSIC codes on the
installed province's 2025 communes and wards, and markets, supermarkets and malls
(`scpvn synth`, see `scpvn.core.synthetic`)."""

from collections.abc import Iterator

from stdnum.vn import mst

from scpvn.core.synthetic import Run
from scpvn.geo.models import District, Unit
from scpvn.geo.services import installed_province_code
from scpvn.registry.demo import BRANDS, FORMS, MARKET_NAMES, PROFILES
from scpvn.registry.models import Enterprise, Place, VsicCode

ORDER = 30
# The synthetic series of tax-code serials starts here; the demo's starts at 9,000,000.
TAX_SERIAL_BASE = 1_000_000
STREETS = ["Phố Huế", "Láng Hạ", "Giải Phóng", "Nguyễn Trãi", "Trần Duy Hưng", "Kim Mã",
           "Xuân Thủy", "Hoàng Quốc Việt", "Minh Khai", "Nguyễn Văn Cừ", "Tây Sơn"]  # fmt: skip


def tax_codes(province: str, first_serial: int) -> Iterator[str]:
    """Valid 10-digit tax codes of `province`, serials from `first_serial` up; serials whose
    check digit would be 10 do not exist and are skipped."""
    serial = first_serial
    while True:
        prefix = f"{province}{serial:07d}"
        digit = mst.calc_check_digit(prefix)
        if len(digit) == 1:
            yield prefix + digit
        serial += 1


def communes_2025() -> list[int]:
    """Ids of the installed province's communes and wards of today's map."""
    return list(
        Unit.objects.filter(
            level=Unit.Level.COMMUNE,
            valid_to__isnull=True,
            parent__level=Unit.Level.PROVINCE,
            parent__code=installed_province_code(),
        ).values_list("pk", flat=True)
    )


def generate(run: Run) -> None:
    rng = run.rng
    units = communes_2025()
    if not units:
        raise RuntimeError("no 2025 communes for the installed province: run `scpvn migrate`")
    known_vsic = set(VsicCode.objects.values_list("code", flat=True))
    profiles = [(share, [c for c in codes if c in known_vsic], word, dist)
                for share, codes, word, dist, _zone in PROFILES]  # fmt: skip
    weights = [p[0] for p in profiles]
    count = run.counts["enterprises"]
    ids = run.ids(Enterprise, count)
    codes = tax_codes(installed_province_code(), TAX_SERIAL_BASE + 2 * ids.start)

    def enterprises() -> Iterator[dict]:
        for pk in ids:
            _share, vsic, word, distribution = rng.choices(profiles, weights)[0]
            yield {
                "id": pk,
                "tax_code": next(codes),
                "name": f"{rng.choice(FORMS)} {word} {rng.choice(BRANDS)} {pk}",
                "address": f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}",
                "unit_id": rng.choice(units),
                "vsic_code": rng.choice(vsic),
                "size": rng.choice(Enterprise.Size.values),
                "distribution": distribution,
            }

    run.insert(Enterprise, enterprises(), count, "doanh nghiệp (enterprises)")
    run.made["enterprises"] = ids

    districts = list(
        District.objects.filter(province__code=installed_province_code()).values_list(
            "pk", flat=True
        )
    )
    run.made["districts"] = districts
    places = run.counts["places"]
    place_ids = run.ids(Place, places)

    def rows() -> Iterator[dict]:
        for pk in place_ids:
            kind = rng.choices(Place.Kind.values, [0.7, 0.25, 0.05])[0]
            label = {"market": "Chợ", "supermarket": "Siêu thị", "mall": "Trung tâm thương mại"}
            yield {
                "id": pk,
                "kind": kind,
                "name": f"{label[kind]} {rng.choice(MARKET_NAMES)} {pk}",
                "address": f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}",
                "district_id": rng.choice(districts),
                "unit_id": rng.choice(units),
                "market_class": rng.choice([1, 2, 3]) if kind == "market" else None,
                "operator_id": rng.choice(ids),
            }

    if districts:
        run.insert(Place, rows(), places, "chợ, siêu thị (places)")
