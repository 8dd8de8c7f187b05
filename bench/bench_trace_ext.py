"""EPCIS queries on extension fields and ILMD vs MATCH_epc, on PostgreSQL, up to 1,000,000 events.

The repository (a throwaway PostgreSQL database) is filled to each size of the `trace_ext`
ladder (`bench/sizes.py`: 10,000 and 100,000 events; BENCH_SIZE=nation 10,000, 1,000,000 and
10,000,000, as filling 1,000,000 takes several minutes, too long for `make bench`'s 15) with events carrying user extension fields and ILMD (`bench/trace_ext_pg.py`
says how they are distributed and proves the rows equal what capture stores). At each size,
warm, every query is timed through the repository's own `page_of_events` (median of 15 runs,
the queries interleaved so that a change in the machine's load weighs on all of them), and
reported as its ratio to MATCH_epc in the same run, with its growth exponent across sizes.
Times on a shared machine swing with the others' load between sizes, so each query's buffer
pages (EXPLAIN ANALYZE, warm) are recorded too: their growth exponent is the load-free one.
The plans (EXPLAIN ANALYZE) at the largest size go to `bench/results/trace-ext-plans.md`.

Aim (issue "EPCIS 2.0 query interface"): an extension-parameter query at 1,000,000 events
costs ≤ 2× a MATCH_epc query; and (issue "Province and nation scale") query latency flat from
10,000 to 10,000,000 events.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.results import RESULTS_DIR, growth_exponent, record
from bench.sizes import ladder
from bench.throwaway import create_pg_database, drop_pg_database, pg_available

ROOT = Path(__file__).resolve().parent.parent
# Each query's aim, as a ratio to MATCH_epc at the largest size.
AIMS = {
    "EQ_example:deliveryNote": "≤ 2× MATCH_epc",
    "EQ_example:orderNumber (a number)": "≤ 2× MATCH_epc",
    "EQ_ILMD_example:farmPlot": "≤ 2× MATCH_epc",
    "EQ_INNER_example:deviceSerial": "≤ 2× MATCH_epc",
}


def _worker(size: int, env: dict, plans: Path | None) -> dict:
    args = [sys.executable, "-m", "bench.trace_ext_pg", str(size)]
    if plans is not None:
        args.append(str(plans))
    done = subprocess.run(
        args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=None, text=True, timeout=6 * 3600
    )
    if done.returncode:
        raise RuntimeError(f"bench.trace_ext_pg {size} failed (exit {done.returncode})")
    return json.loads(done.stdout)


def run() -> None:
    if not pg_available():
        print("  PostgreSQL not reachable: skipped")
        return
    sizes = ladder("trace_ext")
    name = f"scpvn_bench_trace_ext_{os.getpid()}"
    url = create_pg_database(name)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="scpvn.settings",
        SCPVN_VAR_DIR=tempfile.gettempdir(),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    )
    plans = RESULTS_DIR / "trace-ext-plans.md"
    RESULTS_DIR.mkdir(exist_ok=True)
    results: dict[int, dict] = {}
    try:
        for size in sizes:
            start = time.perf_counter()
            results[size] = _worker(size, env, plans if size == sizes[-1] else None)
            took = time.perf_counter() - start
            print(
                f"  {size:>11,} events (filled in {results[size]['load_s']:.0f} s, "
                f"{took:.0f} s in all)",
                flush=True,
            )
            base = results[size]["ms"]["MATCH_epc"]
            for query, ms in results[size]["ms"].items():
                ratio = ms / base
                print(
                    f"    {query:32s} {ms:8.2f} ms  {ratio:5.2f}× MATCH_epc  "
                    f"{results[size]['pages'][query]:6,} pages  "
                    f"({results[size]['events'][query]} events)",
                    flush=True,
                )
                record(
                    "trace_ext",
                    f"query: {query}",
                    size=size,
                    value=ms,
                    unit="ms",
                    ratio=ratio,
                    aim=AIMS.get(query, "flat"),
                )
                pages = results[size]["pages"][query]
                record(
                    "trace_ext",
                    f"pages: {query}",
                    size=size,
                    value=pages,
                    unit="pages",
                    ratio=pages / results[size]["pages"]["MATCH_epc"],
                    aim="flat",
                )
    finally:
        drop_pg_database(name)
    small, big = sizes[0], sizes[-1]
    if big > small:
        print(f"  growth exponents {small:,} → {big:,} events (0 = flat):")
        for query in results[small]["ms"]:
            exponents = [
                growth_exponent(small, results[small][what][query], big, results[big][what][query])
                for what in ("ms", "pages")
            ]
            time_exp, pages_exp = (" " if e is None else f"{e:5.2f}" for e in exponents)
            print(f"    {query:32s} time {time_exp}  pages {pages_exp}")
    print(f"  plans at {big:,} events: {plans}")


if __name__ == "__main__":
    import django

    django.setup()
    run()
