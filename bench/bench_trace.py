"""Traceability: consumer page vs a trivial view, EPCIS capture vs bulk insert, query latency.

1. Consumer page (/01/{gtin}/10/{lot}) requests/s against a trivial Django view, both served
   by the same gunicorn (2 sync workers, DEBUG=0) on 127.0.0.1 from a throwaway SQLite
   database loaded with the trace demo data, under the same bounded load (TRACE_BENCH_REQUESTS
   requests, default 1500, TRACE_BENCH_CONCURRENCY threads, default 8, http.client). Measured
   with HTTP caching (the client revalidates with If-None-Match; alternated with the baseline
   in three rounds) and cold (full render, a fifth of the requests).
2. On PostgreSQL (a database created and dropped here): EPCIS capture events/s (validation,
   hash IDs, events, identifier links) against a bare bulk insert of the same events
   (TRACE_BENCH_CAPTURE events, default 5,000).
3. Query latency (median of 30) at 10,000 and TRACE_BENCH_BIG stored events (the repository
   is filled with COPY). The default, 200,000, keeps the run within about three minutes;
   TRACE_BENCH_BIG=1000000 measures the 1,000,000 of the issue (filling takes ~4 minutes).
"""

import concurrent.futures
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("TRACE_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")


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


def _elapsed(port: int, path: str, headers: dict, requests: int, concurrency: int) -> float:
    """Seconds for `requests` GETs spread over `concurrency` threads."""

    def one(_):
        status, _h = _get(port, path, headers)
        assert status in (200, 304), (path, status)

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    return time.perf_counter() - start


def consumer_page() -> None:
    requests = int(os.environ.get("TRACE_BENCH_REQUESTS", "1500"))
    concurrency = int(os.environ.get("TRACE_BENCH_CONCURRENCY", "8"))
    var = tempfile.mkdtemp(prefix="scpvn-bench-trace-")
    port = _free_port()
    env = _env(
        SCPVN_VAR_DIR=var, DJANGO_SETTINGS_MODULE="bench.trace_site", DEBUG="0", SECRET_KEY="bench-" + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0", LOG_LEVEL="ERROR",
    )  # fmt: skip
    server = None
    try:
        _python(["-m", "django", "migrate", "--noinput", "-v0"], env)
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
             "-w", "2", "--log-level", "error"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        for _ in range(100):
            try:
                if _get(port, "/bench/trivial", {})[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        status, headers = _get(port, lot, {})
        assert status == 200, status
        cookie = headers.get("Set-Cookie", "").split(";")[0]
        status, headers = _get(port, lot, {"Cookie": cookie})
        etag = headers["ETag"]
        assert _get(port, lot, {"Cookie": cookie, "If-None-Match": etag})[0] == 304
        # Alternate baseline and cached rounds so that a change in the machine's load during
        # the run weighs on both sides alike; the full render is slower, so fewer requests.
        each = requests // 3
        revalidate = {"Cookie": cookie, "If-None-Match": etag}
        baseline_s = cached_s = 0.0
        for _ in range(3):
            baseline_s += _elapsed(port, "/bench/trivial", {"Cookie": cookie}, each, concurrency)
            cached_s += _elapsed(port, lot, revalidate, each, concurrency)
        baseline, cached = 3 * each / baseline_s, 3 * each / cached_s
        cold_n = max(requests // 5, concurrency)
        cold = cold_n / _elapsed(port, lot, {"Cookie": cookie}, cold_n, concurrency)
        print(f"  load: {concurrency} threads, gunicorn 2 workers, {lot}; trivial and ETag")
        print(f"  alternated in 3 rounds of {each} requests each, full render {cold_n} requests")
        print(f"  trivial view            {baseline:8.0f} req/s")
        print(f"  consumer page (render)  {cold:8.0f} req/s  ratio {cold / baseline:.2f}x")
        print(
            f"  consumer page (ETag)    {cached:8.0f} req/s  ratio {cached / baseline:.2f}x  (aim ≥ 0.5x)"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(var, ignore_errors=True)


def postgres() -> None:
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        print(f"  PostgreSQL not reachable at {PG_ADMIN_URL}: capture and query parts skipped")
        return
    name = f"scpvn_bench_trace_{os.getpid()}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    env = _env(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="scpvn.settings",
        SCPVN_VAR_DIR=tempfile.gettempdir(),
    )
    try:
        _python(["-m", "django", "migrate", "--noinput", "-v0"], env)
        n = int(os.environ.get("TRACE_BENCH_CAPTURE", "5000"))
        capture = json.loads(_python(["-m", "bench.trace_pg", "capture", str(n)], env))
        ratio = capture["capture_eps"] / capture["bulk_eps"]
        print(f"  capture {n} events       {capture['capture_eps']:8.0f} events/s")
        print(
            f"  bare bulk insert         {capture['bulk_eps']:8.0f} events/s  ratio {ratio:.2f}x  (aim ≥ 0.3x)"
        )
        sizes = [10_000, int(os.environ.get("TRACE_BENCH_BIG", "200000"))]
        _python(["-c", "import django; django.setup(); from django.db import connection; "
                 "connection.cursor().execute('TRUNCATE trace_eventepc, trace_event, trace_capture CASCADE')"], env)  # fmt: skip
        results = {}
        for size in sizes:
            start = time.perf_counter()
            results[size] = json.loads(_python(["-m", "bench.trace_pg", "query", str(size)], env))
            print(f"  {size:>9,} events stored ({time.perf_counter() - start:.0f} s incl. filling)")
        small, big = sizes
        for query in results[small]:
            a, b = results[small][query], results[big][query]
            print(
                f"  {query:26s} {a:7.2f} ms → {b:7.2f} ms  growth {b / a:5.2f}x for {big / small:.0f}x data"
            )
    finally:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def run() -> None:
    consumer_page()
    postgres()


if __name__ == "__main__":
    import django

    django.setup()
    run()
