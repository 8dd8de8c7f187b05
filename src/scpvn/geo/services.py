"""Loading and looking up administrative units.

The reference data is shipped with the code (pre-2025 districts, crosswalk) or comes from
the `vietnam-provinces` package (2025 wards); loading is idempotent so that a migration,
`scpvn geo load` and the demo can all call it.
"""

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
DISTRICTS_FILE = DATA_DIR / "hanoi_districts_pre2025.json"
CROSSWALK_FILE = DATA_DIR / "hanoi_ward_district_crosswalk.json"
DISTRICT_PREFIXES = ("quận", "huyện", "thị xã")


@dataclass(frozen=True)
class LoadResult:
    provinces: int
    districts: int
    wards: int
    crosswalk_links: int


def read_district_data() -> dict:
    return json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def load_reference_data(apps=global_apps) -> LoadResult:
    """Create or update Hanoi, its 30 pre-2025 districts and its 2025 wards.

    Takes an app registry so a data migration can pass its historical models.
    """
    from vietnam_provinces import Ward as PackageWard

    province_model = apps.get_model("geo", "Province")
    district_model = apps.get_model("geo", "District")
    ward_model = apps.get_model("geo", "Ward")

    data = read_district_data()
    prov = data["province"]
    province, _ = province_model.objects.update_or_create(
        code=prov["code"], defaults={"name": prov["name"], "short_name": prov["short_name"]}
    )
    districts = {}
    for row in data["districts"]:
        lat, lon = row.get("centroid") or (None, None)
        districts[row["code"]], _ = district_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "province": province,
                "name": row["name"],
                "short_name": row["short_name"],
                "kind": row["kind"],
                "latitude": lat,
                "longitude": lon,
                "area_km2": row.get("area_km2"),
                "population": row.get("population"),
            },
        )
    ward_count = 0
    wards = {}
    for ward in PackageWard.iter_by_province(int(prov["code"])):
        code = f"{int(ward.code):05d}"
        wards[code], _ = ward_model.objects.update_or_create(
            code=code,
            defaults={"province": province, "name": ward.name, "kind": ward.division_type.value},
        )
        ward_count += 1
    links = 0
    if CROSSWALK_FILE.exists():
        for row in json.loads(CROSSWALK_FILE.read_text(encoding="utf-8")):
            ward = wards.get(row["ward_code"])
            if ward is None:
                continue
            ward.former_districts.set([districts[c] for c in row["district_codes"]])
            links += len(row["district_codes"])
    return LoadResult(1, len(districts), ward_count, links)


def fold(text: str) -> str:
    """Lower-case without diacritics, so "Dong Da", "đống đa" and "Đống Đa" compare equal."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower().strip()


def district_index() -> dict:
    """Every way a district may be written (GSO code, short or full name, folded) → District.

    Built once per import or request; callers that look up many rows keep it.
    """
    from scpvn.geo.models import District

    index = {}
    for district in District.objects.all():
        index[district.code] = district
        index[fold(district.short_name)] = district
        index[fold(district.name)] = district
    return index


def find_district(value: str, index: dict | None = None):
    """A district by GSO code ("006") or name, with or without its Quận/Huyện/Thị xã prefix."""
    value = (value or "").strip()
    if not value:
        return None
    index = district_index() if index is None else index
    if value.isdigit():
        return index.get(value.zfill(3))
    wanted = fold(value)
    if wanted in index:
        return index[wanted]
    for prefix in DISTRICT_PREFIXES:
        if wanted.startswith(fold(prefix) + " "):
            return index.get(wanted[len(fold(prefix)) + 1 :].strip())
    return None
