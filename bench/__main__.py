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
import traceback
from pathlib import Path

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scpvn.settings")
    django.setup()
    from django.test.utils import override_settings

    import bench
    from bench.results import RECORD_ENV, write_reports
    from bench.sizes import size_name
    from bench.throwaway import CACHE_ENV, drop_templates

    name = size_name()
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    clock = time.monotonic()
    modules: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="scpvn-bench-record-") as tmp:
        record_path = Path(tmp) / "record.jsonl"
        os.environ[RECORD_ENV] = str(record_path)
        # migrated template databases, shared by every benchmark of this run (a folder given
        # in SCPVN_BENCH_CACHE keeps them across runs: for developing a benchmark only, as
        # they are not migrated again when the schema changes)
        own_cache = CACHE_ENV not in os.environ
        if own_cache:
            os.environ[CACHE_ENV] = str(Path(tmp) / "templates")
        Path(os.environ[CACHE_ENV]).mkdir(exist_ok=True)
        only = {n for n in os.environ.get("SCPVN_BENCH_ONLY", "").split(",") if n}
        names = sorted(
            m.name
            for m in pkgutil.iter_modules(bench.__path__)
            if m.name.startswith("bench_") and (not only or m.name in only)
        )
        if not names:
            print("Chưa có phép đo nào (no benchmarks yet).")
        print(f"BENCH_SIZE={name}", flush=True)
        try:
            for module_name in names:
                module = importlib.import_module(f"bench.{module_name}")
                doc = module.__doc__.strip().splitlines()[0] if module.__doc__ else ""
                print(f"== {module_name}: {doc}", flush=True)
                start = time.monotonic()
                # one benchmark failing does not hide the others' figures: it is reported,
                # and `make bench` fails at the end
                try:
                    # DEBUG off, as a production server runs (`bench.throwaway.child_code`)
                    with override_settings(DEBUG=False):
                        module.run()
                    ok = True
                except Exception:
                    traceback.print_exc()
                    ok = False
                took = time.monotonic() - start
                modules.append({"module": module_name, "seconds": round(took, 1), "ok": ok})
                print(f"   ({took:.0f} s{'' if ok else ', FAILED'})", flush=True)
        finally:
            if own_cache:
                drop_templates()
        seconds = time.monotonic() - clock
        report = write_reports(
            record_path, size_name=name, started=started, seconds=seconds, modules=modules
        )
    print(f"\n{report.read_text(encoding='utf-8')}")
    print(f"Kết quả (results): {report} và (and) {report.with_suffix('.json')}")
    failed = [m["module"] for m in modules if not m["ok"]]
    if failed:
        print(f"Lỗi (failed): {', '.join(failed)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
