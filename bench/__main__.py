"""`make bench`: run every benchmark module in this package at the sizes of `BENCH_SIZE`
(`bench/sizes.py`), print its figures, and write them with their growth exponents to
`bench/results/` (Markdown and JSON)."""

import datetime as dt
import importlib
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scpvn.settings")
    django.setup()
    import bench
    from bench.results import RECORD_ENV, write_reports
    from bench.sizes import size_name

    name = size_name()
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    clock = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="scpvn-bench-record-") as tmp:
        record_path = Path(tmp) / "record.jsonl"
        os.environ[RECORD_ENV] = str(record_path)
        only = {n for n in os.environ.get("SCPVN_BENCH_ONLY", "").split(",") if n}
        names = sorted(
            m.name
            for m in pkgutil.iter_modules(bench.__path__)
            if m.name.startswith("bench_") and (not only or m.name in only)
        )
        if not names:
            print("Chưa có phép đo nào (no benchmarks yet).")
        print(f"BENCH_SIZE={name}", flush=True)
        for module_name in names:
            module = importlib.import_module(f"bench.{module_name}")
            doc = module.__doc__.strip().splitlines()[0] if module.__doc__ else ""
            print(f"== {module_name}: {doc}", flush=True)
            start = time.monotonic()
            module.run()
            print(f"   ({time.monotonic() - start:.0f} s)", flush=True)
        seconds = time.monotonic() - clock
        report = write_reports(record_path, size_name=name, started=started, seconds=seconds)
    print(f"\n{report.read_text(encoding='utf-8')}")
    print(f"Kết quả (results): {report} và (and) {report.with_suffix('.json')}")
    sys.exit(0)


if __name__ == "__main__":
    main()
