"""Loopback load: requests/s and p99 under 50 concurrent clients, against a trivial view.

A throwaway production-mode site (DEBUG=0, SQLite in a temporary folder, the demo data) runs
under gunicorn on 127.0.0.1; each target in `bench.loadtest.TARGETS` that exists gets a
fixed number of GETs as a signed-in city administrator, and is reported against the health
endpoint (one `SELECT 1`) measured in the same run. Scale with SCPVN_BENCH_LOAD_REQUESTS
(default 1000 per target), SCPVN_BENCH_LOAD_CONCURRENCY (default 50); SCPVN_BENCH_LOAD_DEMO=0
loads only the plan instead of the whole demo.
"""

import os
import tempfile
from pathlib import Path

from bench.loadtest import gunicorn, hammer, prepare_site


def run() -> None:
    total = int(os.environ.get("SCPVN_BENCH_LOAD_REQUESTS", "1000"))
    concurrency = int(os.environ.get("SCPVN_BENCH_LOAD_CONCURRENCY", "50"))
    demo = os.environ.get("SCPVN_BENCH_LOAD_DEMO", "1") != "0"
    workers = int(os.environ.get("SCPVN_BENCH_LOAD_WORKERS", str(max(2, os.cpu_count() or 2))))
    with tempfile.TemporaryDirectory(prefix="scpvn-bench-load-") as tmp:
        env, site = prepare_site(Path(tmp), demo=demo)
        with gunicorn(env, workers=workers) as port:
            results = [
                hammer(
                    port, label, path, total=total, concurrency=concurrency, session=site["session"]
                )
                for label, path in site["urls"].items()
            ]
    baseline = results[0]
    print(f"  {total} requests per target, {concurrency} concurrent, gunicorn {workers} workers")
    print(
        f"  {'target':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs baseline':>12}"
    )
    for stats in results:
        ratio = stats.per_second / baseline.per_second if baseline.per_second else 0
        print(
            f"  {stats.label:<22} {stats.per_second:>8.1f} {stats.p50_ms:>8.1f} "
            f"{stats.p99_ms:>8.1f} {stats.errors:>7} {ratio:>11.2f}×"
        )
