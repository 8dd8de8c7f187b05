"""Traceability: consumer page vs /healthz, EPCIS capture vs bulk insert, query latency.

1. Consumer page (/01/{gtin}/10/{lot}) requests/s against `/healthz`, both served by the
   same gunicorn (2 sync workers, DEBUG=0) on 127.0.0.1 from a throwaway SQLite database
   loaded with the trace demo data, driven by `wrk` (TRACE_BENCH_CONCURRENCY connections,
   default 50, TRACE_BENCH_SECONDS per target, default 5). Measured with HTTP caching (the
   client revalidates with If-None-Match) and cold (full render); /healthz before and after.
2. On PostgreSQL (a database created and dropped here): EPCIS capture of 1,000-event
   documents, events/s (validation, hash IDs, events, identifier links, query fields)
   against a bare COPY of the same event and identifier-link rows, 1,000 events per
   transaction (TRACE_BENCH_CAPTURE events, default 5,000).
3. Query latency (median of 30) at each size of the `trace_query` ladder (`bench/sizes.py`;
   the repository is filled with COPY); BENCH_SIZE=nation goes to 10,000,000 events.
"""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.loadtest import site_env, warm_up, wrk_available, wrk_load
from bench.results import record
from bench.sizes import ladder
from bench.throwaway import create_pg_database, drop_pg_database, migrated_sqlite, pg_available

ROOT = Path(__file__).resolve().parent.parent


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
    env.update(extra)
    return env


def _python(args: list[str], env: dict) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        conn.close()


def consumer_page() -> None:
    concurrency = int(os.environ.get("TRACE_BENCH_CONCURRENCY", "50"))
    var = tempfile.mkdtemp(prefix="scpvn-bench-trace-")
    port = _free_port()
    env = site_env(Path(var))
    server = None
    try:
        if not migrated_sqlite(Path(var)):
            _python(["-m", "django", "migrate", "--noinput", "-v0"], env)
        _python(["-m", "django", "collectstatic", "--noinput", "-v0"], env)
        code = (
            "import django; django.setup(); from scpvn.trace import demo; demo.load(lambda m: None)"
        )
        _python(["-c", code], env)
        lot = _python(
            ["-c", "import django; django.setup(); from scpvn.trace.models import Lot; "
             "l = Lot.objects.filter(code__startswith='BC').select_related('product').first(); "
             "print(f'/01/{l.product.gtin}/10/{l.code}')"],
            env,
        ).strip()  # fmt: skip
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "scpvn.wsgi:application", "-b", f"127.0.0.1:{port}",
             "-w", "2", "--timeout", "120", "--log-level", "error"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        # starting takes well over ten seconds on a loaded machine
        deadline = time.monotonic() + float(os.environ.get("SCPVN_GUNICORN_START_SECONDS", "300"))
        while True:
            try:
                if _get(port, "/healthz", {})[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        status, headers = _get(port, lot, {})
        assert status == 200, status
        cookie = headers.get("Set-Cookie", "").split(";")[0]
        status, headers = _get(port, lot, {"Cookie": cookie})
        etag = headers["ETag"]
        assert _get(port, lot, {"Cookie": cookie, "If-None-Match": etag})[0] == 304
        if not wrk_available():
            raise RuntimeError("wrk is missing: run scripts/system-deps.sh as root")
        seconds = float(os.environ.get("TRACE_BENCH_SECONDS", "5"))

        def rate(path: str, headers: dict | None = None) -> float:
            stats = wrk_load(
                port, path, path, seconds=seconds, connections=concurrency, session="",
                headers={"Cookie": cookie, **(headers or {})},
            )  # fmt: skip
            return stats.per_second

        warm_up(port, ["/healthz", lot], session="", headers={"Cookie": cookie})
        # Baseline before and after, so a change in the machine's load weighs on both sides.
        base_a = rate("/healthz")
        cached = rate(lot, {"If-None-Match": etag})
        cold = rate(lot)
        baseline = (base_a + rate("/healthz")) / 2
        print(f"  wrk {concurrency} connections, {seconds:.0f} s each, gunicorn 2 workers, {lot}")
        print(f"  /healthz                {baseline:8.0f} req/s")
        print(
            f"  consumer page (render)  {cold:8.0f} req/s  ratio {cold / (baseline or 1):.2f}x  (aim ≥ 0.2x)"
        )
        print(
            f"  consumer page (ETag)    {cached:8.0f} req/s  ratio {cached / (baseline or 1):.2f}x  (aim ≥ 0.8x)"
        )
        for metric, value, aim in (
            ("consumer page, render", cold, "≥ 0.2×"),
            ("consumer page, ETag 304", cached, "≥ 0.8×"),
        ):
            if not value or not baseline:
                print(f"  {metric}: no request finished in {seconds:.0f} s (machine too loaded?)")
                continue
            record("trace", f"{metric} (ms/request)", size=1, value=1000 / value, unit="ms",
                   ratio=value / baseline, aim=aim)  # fmt: skip
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(var, ignore_errors=True)


def postgres() -> None:
    if not pg_available():
        print("  PostgreSQL not reachable: capture and query parts skipped")
        return
    name = f"scpvn_bench_trace_{os.getpid()}"
    url = create_pg_database(name)
    env = _env(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="scpvn.settings",
        SCPVN_VAR_DIR=tempfile.gettempdir(),
    )
    try:
        n = int(os.environ.get("TRACE_BENCH_CAPTURE", "5000"))
        capture = json.loads(_python(["-m", "bench.trace_pg", "capture", str(n)], env))
        ratio = capture["capture_eps"] / capture["bulk_eps"]
        print(f"  capture {n} events, 1,000 a document {capture['capture_eps']:8.0f} events/s")
        print(
            f"  bare COPY of the same events and {capture['links']} links "
            f"{capture['bulk_eps']:8.0f} events/s  ratio {ratio:.2f}x  (aim ≥ 0.7x)"
        )
        record("trace", "capture (s per 1,000 events)", size=n, value=1000 / capture["capture_eps"],
               unit="s", ratio=ratio, aim="≥ 0.7× bare COPY")  # fmt: skip
        single = capture["single_eps"] / capture["bulk_eps"]
        print(
            f"  one event a capture (POST /epcis/events) {capture['single_eps']:8.0f} events/s"
            f"  ratio {single:.3f}x  (one client: nothing to batch)"
        )
        record("trace", "capture, one event a request (s per 1,000 events)", size=1,
               value=1000 / capture["single_eps"], unit="s", ratio=single)  # fmt: skip
        clients, alone = capture["clients"], capture["concurrent_alone_eps"]
        batched = capture["concurrent_batched_eps"]
        print(
            f"  {clients} clients sending one event a request at once: each captured alone "
            f"{alone:6.0f} events/s, batched {batched:6.0f} events/s  ratio {batched / alone:.2f}x"
        )
        record("trace", f"capture, one event a request, {clients} clients at once, batched (s per 1,000 events)",
               size=clients, value=1000 / batched, unit="s", ratio=batched / alone,
               aim="ratio: batched / each alone, same run")  # fmt: skip
        sizes = ladder("trace_query")
        _python(["-c", "import django; django.setup(); from django.db import connection; "
                 "connection.cursor().execute('TRUNCATE trace_eventepc, trace_event, trace_capture CASCADE')"], env)  # fmt: skip
        results = {}
        for size in sizes:
            start = time.perf_counter()
            results[size] = json.loads(_python(["-m", "bench.trace_pg", "query", str(size)], env))
            print(f"  {size:>9,} events stored ({time.perf_counter() - start:.0f} s incl. filling)")
        for size in sizes:
            for query, ms in results[size].items():
                record("trace", f"query: {query}", size=size, value=ms, unit="ms")
        small, big = sizes[0], sizes[-1]
        for query in results[small]:
            a, b = results[small][query], results[big][query]
            print(
                f"  {query:26s} {a:7.2f} ms → {b:7.2f} ms  growth {b / a:5.2f}x for {big / small:.0f}x data"
            )
    finally:
        drop_pg_database(name)


def run() -> None:
    # the PostgreSQL part runs even when the consumer page's fails; the failure is raised after
    try:
        consumer_page()
    finally:
        postgres()


if __name__ == "__main__":
    import django

    django.setup()
    run()
