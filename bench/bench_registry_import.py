"""Registry import: an XLSX against a bare openpyxl read-only pass over it.

Runs at every size of the `registry_import` ladder (`bench/sizes.py`), each on a fresh
throwaway database. The import validates every row (tax-code check
digit, district, VSIC code…) and upserts in one transaction; the baseline only reads cells,
once before the import and once after.
"""

import os
import random
import tempfile
import time
from pathlib import Path

from bench.results import record
from bench.sizes import ladder

ROWS = int(os.environ.get("SCPVN_BENCH_IMPORT_ROWS", "100000"))


def write_file(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from scpvn.geo.models import District
    from scpvn.registry.demo import tax_codes
    from scpvn.registry.importing import HEADERS
    from scpvn.registry.models import VsicCode

    rng = random.Random(5)
    districts = list(District.objects.values_list("short_name", flat=True))
    vsic = list(VsicCode.objects.filter(level=5).values_list("code", flat=True))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(HEADERS))
    for i, code in enumerate(tax_codes(rows)):
        sheet.append(
            [code, f"Công ty TNHH Thử nghiệm {i}", f"Số {i} phố Huế", rng.choice(districts), "",
             rng.choice(vsic), rng.choice(["Nhỏ", "Vừa", "Lớn"]), "", rng.choice(["", "Siêu thị", "Bán buôn"])]
        )  # fmt: skip
    workbook.save(path)


def bare_read(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def measure() -> None:
    from django.db import connection

    from scpvn.registry.importing import import_file
    from scpvn.registry.models import Enterprise

    path = Path(tempfile.mkdtemp()) / "doanh-nghiep.xlsx"
    write_file(path, ROWS)

    def timed_read() -> float:
        start = time.perf_counter()
        bare_read(path)
        return time.perf_counter() - start

    before = timed_read()
    start = time.perf_counter()
    result = import_file(path)
    elapsed = time.perf_counter() - start
    assert result.ok and result.created == ROWS == Enterprise.objects.count(), result.problems[:3]
    # the baseline read before and after the import, so that a change in the machine's load
    # during the run weighs on both sides (the ratio moved from 1.26× to 1.66× between runs)
    baseline = (before + timed_read()) / 2
    print(f"  openpyxl read-only pass: {baseline:.2f} s; import {ROWS:,} rows: {elapsed:.2f} s")
    print(f"  ratio import / bare read: {elapsed / baseline:.2f}× (aim ≤ 1.5×)", flush=True)
    record(
        "registry_import",
        f"import, {connection.vendor} (s)",  # one growth exponent per engine
        size=ROWS,
        value=elapsed,
        unit="s",
        ratio=elapsed / baseline,
        aim="≤ 1.5× bare read",
    )


def run() -> None:
    from bench.throwaway import run_in_children

    for rows in ladder("registry_import"):
        os.environ["SCPVN_BENCH_IMPORT_ROWS"] = str(rows)
        run_in_children("bench.bench_registry_import")
