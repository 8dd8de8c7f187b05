"""Write the administrative-unit tree of Viet Nam as data files for `scpvn.geo`.

Run once, with Python >= 3.12, when the official data changes; the project itself stays on
3.11 and reads only the generated files, so `vietnam-provinces` is not a run-time dependency:

    ~/.pyenv/versions/3.12.1/bin/python -m venv /tmp/vp312
    /tmp/vp312/bin/pip install 'vietnam-provinces>=2026'
    /tmp/vp312/bin/python scripts/geo/generate_units.py

Files written under src/scpvn/geo/data/:

* units.csv.gz       level,code,name,kind,parent_code,valid_from,valid_to: the 63 provinces,
                     their districts and communes before 1 July 2025, and the 34 provinces and
                     their communes, wards and special zones from 1 July 2025.
* successions.csv.gz level,old_code,new_code,whole: the official conversion table, one row per
                     (old unit, new unit) pair; `whole` is 1 only when the old unit went entirely
                     into that one new unit ("partly merged" units get 0 on every pair).
* units_source.txt   the package, its version, data date and licence.
"""

import csv
import gzip
import io
import sys
from collections import defaultdict
from pathlib import Path

import vietnam_provinces as vp
from vietnam_provinces import Province, Ward, legacy
from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCE_OLD_TO_NEW
from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW
from vietnam_provinces._ward_conversion_2025 import SOURCE as WARD_SOURCE

REFORM = "2025-07-01"
LAST_DAY_BEFORE = "2025-06-30"
OUT = Path(__file__).resolve().parents[2] / "src" / "scpvn" / "geo" / "data"


def _write(name: str, header: list[str], rows: list[tuple]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # mtime=0 keeps the file byte-identical when regenerated from the same data.
    with gzip.GzipFile(OUT / name, "wb", mtime=0) as handle:
        handle.write(buffer.getvalue().encode("utf-8"))


def units() -> tuple[list[tuple], set[int], set[int]]:
    rows = []
    for p in legacy.Province.iter_all():
        rows.append(
            ("province", f"{p.code:02d}", p.name, p.division_type.value, "", "", LAST_DAY_BEFORE)
        )
    for d in legacy.District.iter_all():
        rows.append(
            (
                "district",
                f"{d.code:03d}",
                d.name,
                d.division_type.value,
                f"{d.province_code:02d}",
                "",
                LAST_DAY_BEFORE,
            )
        )
    old_wards = set()
    for w in legacy.Ward.iter_all():
        old_wards.add(int(w.code))
        rows.append(
            (
                "commune",
                f"{w.code:05d}",
                w.name,
                w.division_type.value,
                f"{w.district_code:03d}",
                "",
                LAST_DAY_BEFORE,
            )
        )
    for p in Province.iter_all():
        rows.append(("province", f"{p.code:02d}", p.name, p.division_type.value, "", REFORM, ""))
    new_wards = set()
    for w in Ward.iter_all():
        new_wards.add(int(w.code))
        rows.append(
            (
                "commune",
                f"{w.code:05d}",
                w.name,
                w.division_type.value,
                f"{w.province_code:02d}",
                REFORM,
                "",
            )
        )
    return rows, old_wards, new_wards


def successions(old_wards: set[int], new_wards: set[int]) -> tuple[list[tuple], int]:
    rows = []
    for entry in PROVINCE_OLD_TO_NEW.values():
        whole = int(len(entry.new_provinces) == 1)
        for new in entry.new_provinces:
            rows.append(("province", f"{entry.old_province.code:02d}", f"{new.code:02d}", whole))
    skipped = 0
    # district -> {new commune: every old ward of that district that went there went whole}
    by_district: dict[int, dict[int, bool]] = defaultdict(dict)
    district_of = {int(w.code): int(w.district_code) for w in legacy.Ward.iter_all()}
    for code, entry in sorted(WARD_OLD_TO_NEW.items()):
        if code not in old_wards or any(n.code not in new_wards for n in entry.new_wards):
            skipped += 1
            continue
        whole = not entry.old_ward.is_partly_merged and len(entry.new_wards) == 1
        for new in entry.new_wards:
            rows.append(("commune", f"{code:05d}", f"{new.code:05d}", int(whole)))
            district = district_of[code]
            by_district[district][new.code] = by_district[district].get(new.code, True) and whole
    for district, targets in sorted(by_district.items()):
        # A district went whole into one commune only if that is its sole successor and every
        # one of its old communes went there whole (never the case in 2025, kept for honesty).
        for new_code, all_whole in sorted(targets.items()):
            whole = len(targets) == 1 and all_whole
            rows.append(("district", f"{district:03d}", f"{new_code:05d}", int(whole)))
    return rows, skipped


def main() -> int:
    unit_rows, old_wards, new_wards = units()
    succession_rows, skipped = successions(old_wards, new_wards)
    _write(
        "units.csv.gz",
        ["level", "code", "name", "kind", "parent_code", "valid_from", "valid_to"],
        unit_rows,
    )
    _write("successions.csv.gz", ["level", "old_code", "new_code", "whole"], succession_rows)
    (OUT / "units_source.txt").write_text(
        f"vietnam-provinces {vp.__version__} (data retrieved {vp.__data_version__}), "
        "https://github.com/sunshine-tech/VietnamProvinces, licence GPL-3.0-or-later; "
        f"official codes from danhmuchanhchinh.nso.gov.vn, conversion table {WARD_SOURCE}; "
        f"{skipped} conversion rows naming a unit absent from the unit lists were left out.\n",
        encoding="utf-8",
    )
    print(
        f"{len(unit_rows)} units, {len(succession_rows)} successions, {skipped} skipped",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
