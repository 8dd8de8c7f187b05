"""A bounded loopback load test: a throwaway site under gunicorn, a fixed number of requests
from N concurrent clients, and the numbers (requests/s, p50, p99, errors) per target.

`make bench` drives the site with `wrk` (`wrk_load`); the test suite's small bounded run
(core/tests/test_load.py) uses the Python client `hammer`, which needs no system package.
Used by `bench/bench_load.py` and, small, by the test suite (core/tests/test_load.py;
pytest puts the project root on the path). It lives outside the app: it is a tool that drives
the app, not part of it. The site is a
fresh SQLite database in a temporary folder (never the developer's), served with production
settings (DEBUG=0, collected static files) so what is measured is what runs.

Targets are data: `TARGETS` lists (label, URL name, kwargs), `QUERIES` the query a target
needs; names not in the URL configuration, and pages whose record the loaded data does not
have, are skipped.
"""

import contextlib
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _recorded_plan():
    """The plan the synthetic activities are recorded against (`progress.synth`): the
    dashboard and the plan page are measured on it, not on a later plan of targets only,
    which has no activity to read."""
    from scpvn.plans.services import latest_plan_with_deliverables

    return latest_plan_with_deliverables()


def _plan_page() -> dict | None:
    plan = _recorded_plan()
    return {"pk": plan.pk} if plan else None


def _plan_query() -> str:
    plan = _recorded_plan()
    return f"?plan={plan.slug}" if plan else ""


def _consumer_page() -> dict | None:
    """A lot's GS1 Digital Link page, as a shopper's phone opens it from the QR code."""
    from scpvn.trace.models import Lot

    lot = Lot.objects.select_related("product").order_by("pk").first()
    return {"gtin": lot.product.gtin, "lot": lot.code} if lot else None


# label, URL name, kwargs (a dict, or a function of the loaded site returning one, or None
# when the site has no record to show). The first is the baseline the others are compared to.
TARGETS: list[tuple[str, str, dict | Callable[[], dict | None]]] = [
    ("baseline (health)", "health", {}),
    ("dashboard", "progress:dashboard", {}),
    ("plan page", "plans:detail", _plan_page),
    ("API (tasks)", "task-list", {}),
    ("API (enterprises)", "enterprise-list", {}),
    ("registry list", "registry:enterprise_list", {}),
    ("consumer page", "trace:resolve-lot", _consumer_page),
    ("public portal", "portal:index", {}),
]
# the query a target is opened with, when it needs one
QUERIES: dict[str, Callable[[], str]] = {"dashboard": _plan_query}
# the public pages, driven without the administrator's session: as a visitor or a shopper's
# phone opens them (a signed-in visit adds the session and the staff menu to every request)
PUBLIC = {"consumer page", "public portal"}


@dataclass(frozen=True)
class Stats:
    label: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    # what the failed answers were: "503", "timeout", ... and how many of each
    failures: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


REDIS = ("127.0.0.1", 6379)  # where the project's machines run Redis


def redis_answers(address: tuple[str, int] = REDIS) -> bool:
    """Whether a Redis server answers PING there (the multi-server tests need one)."""
    try:
        with socket.create_connection(address, timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(var_dir: Path) -> dict[str, str]:
    """Production settings on a private SQLite database under `var_dir`."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="scpvn.settings",
        SCPVN_VAR_DIR=str(var_dir),
        DEBUG="0",
        SECRET_KEY=env.get("SCPVN_LOAD_SECRET_KEY", secrets.token_urlsafe(50)),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="ERROR",
        STATIC_COMPRESS="0",
        # the site's own processes import `bench.loadtest` (sign_in) from the project root
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )
    return env


def _scpvn(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "scpvn.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode:
        raise RuntimeError(f"scpvn {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare_site(
    var_dir: Path, *, demo: bool, synth_enterprises: int = 0, database_url: str = ""
) -> tuple[dict[str, str], dict]:
    """Migrate, load data (the full demo, or just the Hanoi plan, plus a synthetic province of
    `synth_enterprises` enterprises when asked), collect static files, and sign a city
    administrator in. Returns the environment and {"session", "urls"}. `database_url` names
    a migrated throwaway database (PostgreSQL) instead of the SQLite file under `var_dir`."""
    from bench.throwaway import migrated_sqlite

    env = site_env(var_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    elif not migrated_sqlite(var_dir):  # a copy of the run's migrated template (make bench)
        _scpvn(env, "migrate", "--noinput")
    if demo:
        _scpvn(env, "demo", "load")
    else:
        _scpvn(
            env,
            "plan",
            "load",
            str(ROOT / "plans" / "hanoi-96-kh-ubnd-2020.yaml"),
        )
    if synth_enterprises:
        # as many events as enterprises and half as many activities: the province's shape
        # without the province's ten events per enterprise, which SQLite fills too slowly
        _scpvn(
            env,
            "synth",
            f"--enterprises={synth_enterprises}",
            f"--places={max(1, synth_enterprises // 30)}",
            f"--activities={max(1, synth_enterprises // 2)}",
            f"--events={synth_enterprises}",
        )
    _scpvn(env, "collectstatic", "--noinput")
    out = _scpvn(env, "shell", "-c", "from bench.loadtest import sign_in; sign_in()")
    return env, json.loads(out.strip().splitlines()[-1])


def sign_in() -> None:
    """(Runs inside the site's own process.) Print a city administrator's session and the
    URLs of the targets that exist."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import NoReverseMatch, reverse

    from scpvn.orgs.models import User
    from scpvn.orgs.roles import Role

    user, _ = User.objects.get_or_create(
        username="load-admin", defaults={"role": Role.CITY_ADMIN, "full_name": "Load"}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    urls = {}
    for label, name, kwargs in TARGETS:
        resolved = kwargs() if callable(kwargs) else kwargs
        if resolved is None:
            continue
        try:
            query = QUERIES[label]() if label in QUERIES else ""
            urls[label] = reverse(name, kwargs=resolved) + query
        except NoReverseMatch:
            continue
    print(json.dumps({"session": session.session_key, "urls": urls}))


@contextlib.contextmanager
def _server(
    name: str, args: list[str], env: dict[str, str], port: int, log_path: Path | None = None
) -> Iterator[int]:
    """Run an app server (`python -m <args>`) bound to `port` until the block ends, once its
    /healthz answers; yields the port.

    The server's log goes to a file, not a pipe: a pipe nobody reads fills up with the workers'
    warnings and blocks them, and reading it while the server still runs never returns (both
    hung `make bench` on a loaded machine, where starting takes more than a minute). With
    `log_path` the file is kept, so a caller can show why an answer was not a 200."""
    opened = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()  # noqa: SIM115
    with opened as log:
        process = subprocess.Popen(
            [sys.executable, "-m", *args], env=env, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            deadline = time.monotonic() + float(
                os.environ.get("SCPVN_GUNICORN_START_SECONDS", "300")
            )
            while True:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    connection.request("GET", "/healthz")
                    connection.getresponse().read()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        process.kill()
                        process.wait()
                        log.seek(0)
                        text = log.read().decode(errors="replace")[-2000:]
                        raise RuntimeError(f"{name} did not start: {text}") from None
                    time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int = 4, threads: int = 4, log_path: Path | None = None
) -> Iterator[int]:
    """Serve the site (WSGI) on a free loopback port until the block ends; yields the port."""
    port = free_port()
    args = [
        "gunicorn",
        "scpvn.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--log-level=warning",
    ]
    with _server("gunicorn", args, env, port, log_path) as bound:
        yield bound


@contextlib.contextmanager
def uvicorn(env: dict[str, str], *, log_path: Path | None = None) -> Iterator[int]:
    """Serve the site (ASGI: HTTP and the EPCIS WebSocket subscriptions) with uvicorn, one
    process, on a free loopback port until the block ends; yields the port. The same
    options as deploy/scpvn-asgi@.service."""
    port = free_port()
    args = [
        "uvicorn",
        "scpvn.asgi:application",
        "--host=127.0.0.1",
        f"--port={port}",
        "--ws=websockets-sansio",
        "--ws-ping-interval=20",
        "--ws-ping-timeout=20",
        "--ws-max-size=65536",
        "--log-level=warning",
    ]
    with _server("uvicorn", args, env, port, log_path) as bound:
        yield bound


def hammer(
    port: int, label: str, path: str, *, total: int, concurrency: int, session: str
) -> Stats:
    """`total` GETs of `path` from `concurrency` clients, each on its own keep-alive
    connection. An error is any transport failure or a status other than 200."""
    local = threading.local()
    cookie = f"sessionid={session}"

    def get() -> str:
        if getattr(local, "connection", None) is None:
            local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local.connection.request(
            "GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"}
        )
        response = local.connection.getresponse()
        response.read()
        if response.getheader("Connection", "").lower() == "close":
            local.connection.close()
            local.connection = None
        return str(response.status)

    def one(_: int) -> tuple[float, str]:
        """One GET: its latency and "200" or what went wrong instead.

        A kept-alive connection that sat idle past the server's keep-alive (gunicorn closes
        it after 2 s, which a loaded machine easily exceeds between two of a thread's turns)
        is reset when reused, before the server has read the request; a browser or urllib3
        then resends the GET on a new connection, and so does this client, once. A failure
        on a fresh connection is an error."""
        start = time.perf_counter()
        reused = getattr(local, "connection", None) is not None
        try:
            try:
                outcome = get()
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                local.connection = None
                if not reused:
                    raise
                outcome = get()
        except (OSError, http.client.HTTPException) as error:
            local.connection = None
            outcome = type(error).__name__
        return time.perf_counter() - start, outcome

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(total)))
    seconds = time.perf_counter() - started
    latencies = sorted(r[0] * 1000 for r in results)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    failures = Counter(outcome for _latency, outcome in results if outcome != "200")
    return Stats(
        label=label,
        requests=total,
        errors=sum(failures.values()),
        failures=dict(failures),
        seconds=seconds,
        p50_ms=statistics.median(latencies),
        p99_ms=p99,
    )


# wrk's `done` hook prints one JSON line: what `wrk_load` reads back.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_load(
    port: int,
    label: str,
    path: str,
    *,
    seconds: float,
    connections: int,
    session: str,
    threads: int = 2,
    headers: dict[str, str] | None = None,
) -> Stats:
    """Drive `path` for `seconds` with wrk (compiled, so the client is never the bottleneck a
    pool of Python threads is). An error is a transport failure or a status outside 2xx/3xx."""
    if not wrk_available():
        raise RuntimeError(
            "wrk không có (missing): sudo apt-get install wrk (scripts/system-deps.sh cài nó)"
        )
    sent = {
        **({"Cookie": f"sessionid={session}"} if session else {}),
        "X-Forwarded-Proto": "https",
        **(headers or {}),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        command = [
            "wrk",
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout=30s",
            "-s",
            script.name,
        ]
        for name, value in sent.items():
            command += ["-H", f"{name}: {value}"]
        done = subprocess.run(
            [*command, f"http://127.0.0.1:{port}{path}"],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    finally:
        os.unlink(script.name)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return Stats(
        label=label,
        requests=report["requests"],
        errors=report["errors"],
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
    )


def warm_up(
    port: int, paths: list[str], *, session: str, headers: dict[str, str] | None = None
) -> None:
    """One second of load on each path, discarded: every gunicorn worker imports its views and
    opens its database connection before anything is timed."""
    for path in paths:
        wrk_load(port, path, path, seconds=1, connections=4, session=session, headers=headers)


def list_costs(env: dict[str, str]) -> dict[str, tuple[float, int]]:
    """Every list of the site in `env` and its cost (`time_lists`): URL → (ms, queries)."""
    out = _scpvn(env, "shell", "-c", "from bench.loadtest import time_lists; time_lists()")
    return {url: tuple(cost) for url, cost in json.loads(out.strip().splitlines()[-1]).items()}


def time_lists() -> None:
    """(Runs inside the site's own process.) Print, as JSON, every list of the site
    (`core.sitemap`) with the median time of 9 requests, in process, as a city administrator
    (after one to warm it), and its query count: what each list costs at this size."""
    import statistics
    import time

    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from scpvn.core.sitemap import listings
    from scpvn.orgs.models import User

    client = Client()
    client.force_login(User.objects.get(username="load-admin"))
    costs = {}
    with override_settings(ALLOWED_HOSTS=["*"]):
        for listing in listings():
            if client.get(listing.url).status_code != 200:
                continue
            connection.force_debug_cursor = True
            client.get(listing.url)
            queries = len(connection.queries_log)
            connection.force_debug_cursor = False
            times = []
            for _ in range(9):
                start = time.perf_counter()
                client.get(listing.url)
                times.append(time.perf_counter() - start)
            costs[listing.url] = (statistics.median(times) * 1000, queries)
    print(json.dumps(costs))
