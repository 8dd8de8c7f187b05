"""The production shape on loopback: a PostgreSQL primary and a streaming replica (data
directories made here), Redis, and two gunicorn app servers sharing them.

Shows that (1) a capture through one server retires the consumer page's ETag on the other at
once (the ETag store is the shared cache), and (2) with the replica deliberately behind
(replay paused), the user who wrote still reads their write — the public page goes to the
primary while their "just wrote" cookie lasts — while a visitor without it reads the replica,
and (3) sessions, read from the shared cache, follow a staff user from one server to the
other, and signing out on one ends the session on both, and (4) single events posted at the
same time to one server's threads (`trace.batching`) are each answered with their own stored
event.
Skipped, in one line, where Redis or the PostgreSQL 15 binaries are missing.
"""

import contextlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bench.loadtest import REDIS, free_port, gunicorn, redis_answers, site_env

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "Rau-sach-Ha-Noi-2026"


def _missing() -> str:
    if not shutil.which("redis-server"):
        return "redis-server"
    for tool in ("initdb", "pg_ctl", "pg_basebackup", "psql"):
        if not (PG_BIN / tool).exists():
            return str(PG_BIN / tool)
    if not redis_answers():
        return "Redis at 127.0.0.1:6379"
    return ""


pytestmark = [
    pytest.mark.multiserver,
    pytest.mark.skipif(bool(_missing()), reason=f"multi-server test needs {_missing()}"),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the multi-server test builds its own databases; it runs once, in the SQLite pass",
    ),
]


def _as_postgres(args: list[str]) -> list[str]:
    """initdb refuses root: run the server's tools as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.getuid() == 0 else args


def _run(args: list[str], **kw) -> str:
    done = subprocess.run(_as_postgres(args), capture_output=True, text=True, timeout=120, **kw)
    assert done.returncode == 0, f"{args[0]}: {done.stdout}\n{done.stderr}"
    return done.stdout


def _psql(port: int, sql: str, db: str = "postgres") -> str:
    return _run(
        [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db,
         "-At", "-c", sql]
    ).strip()  # fmt: skip


@contextlib.contextmanager
def _cluster(root: Path):
    """A primary and a streaming replica on free loopback ports; yields (primary, replica)."""
    primary, replica = root / "primary", root / "replica"
    p1, p2 = free_port(), free_port()
    _run([str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust",
          "-E", "UTF8", "--no-sync"])  # fmt: skip
    with open(primary / "postgresql.conf", "a") as conf:
        conf.write(
            f"listen_addresses = '127.0.0.1'\nport = {p1}\nunix_socket_directories = '{root}'\n"
            "wal_level = replica\nmax_wal_senders = 4\nfsync = off\n"
        )
    started: list[Path] = []
    try:
        _run([str(PG_BIN / "pg_ctl"), "-D", str(primary), "-l", str(root / "p.log"), "-w", "start"])
        started.append(primary)
        _run([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres",
              "-D", str(replica), "-R", "-X", "stream"])  # fmt: skip
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(f"port = {p2}\nhot_standby = on\n")
        _run([str(PG_BIN / "pg_ctl"), "-D", str(replica), "-l", str(root / "r.log"), "-w", "start"])
        started.append(replica)
        yield p1, p2
    finally:
        for data in reversed(started):
            subprocess.run(
                _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                capture_output=True,
                timeout=60,
            )


def _request(port: int, method: str, path: str, headers: dict, body: bytes | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **headers})
        response = conn.getresponse()
        return response.status, response, response.read()
    finally:
        conn.close()


def _copy_run_template(port: int, db: str) -> None:
    """Under `make test`, load the run's migrated PostgreSQL template (bench/throwaway.py,
    migrated once by `scpvn migrate`) into `db` on the primary, so that the `migrate` below
    finds nothing left to do: replaying every migration is a minute of one core, and what
    this test shows starts after it. Elsewhere `migrate` builds the schema itself."""
    from bench.throwaway import create_pg_database, drop_pg_database, pg_template

    if pg_template() is None:
        return
    # dump a copy: a session open on the template would stop others copying it meanwhile
    name = f"scpvn_ms_{uuid.uuid4().hex[:8]}"
    url = create_pg_database(name)
    try:
        dump = subprocess.run(
            [str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", f"--dbname={url}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert dump.returncode == 0, dump.stderr[-3000:]
    finally:
        drop_pg_database(name)
    _run(
        [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db,
         "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"],
        input=dump.stdout,
    )  # fmt: skip


def _cookies(response) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";")[0].partition("=")
        found[name] = value
    return found


def _form_post(port: int, path: str, fields: dict, cookies: dict):
    """POST a form as a browser on HTTPS would: the CSRF cookie, its token and a Referer."""
    csrf = cookies["csrftoken"]
    return _request(
        port,
        "POST",
        path,
        {
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{port}{path}",
        },
        urlencode({**fields, "csrfmiddlewaretoken": csrf}).encode(),
    )


def _sign_in(port: int) -> str:
    """Sign ms-admin in through the login form; returns the cookies a browser then sends."""
    status, response, _ = _request(port, "GET", "/accounts/login/", {})
    assert status == 200
    cookies = _cookies(response)
    fields = {"username": "ms-admin", "password": PASSWORD}
    status, response, body = _form_post(port, "/accounts/login/", fields, cookies)
    assert status == 302, body[:500]
    cookies.update(_cookies(response))
    assert "sessionid" in cookies
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _sign_out(port: int, cookie_header: str) -> None:
    cookies = dict(c.split("=", 1) for c in cookie_header.split("; "))
    status, _response, body = _form_post(port, "/accounts/logout/", {}, cookies)
    assert status == 302, body[:500]


def _caught_up(p1: int, p2: int) -> None:
    target = _psql(p1, "SELECT pg_current_wal_lsn()")
    for _ in range(100):
        if _psql(p2, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t":
            return
        time.sleep(0.1)
    raise AssertionError("replica did not catch up")


def _event(gtin: str, lot: str) -> bytes:
    return json.dumps({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-01-01T00:00:00Z",
        "epcisBody": {"eventList": [{
            "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping",
            "eventTime": "2026-01-02T08:00:00Z", "eventTimeZoneOffset": "+07:00",
            "quantityList": [{"epcClass": f"https://id.gs1.org/01/{gtin}/10/{lot}", "quantity": 5}],
        }]},
    }).encode()  # fmt: skip


def _single(gtin: str, serial: str) -> bytes:
    """One event as POST /epcis/events takes it (its own @context)."""
    return json.dumps({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "inspecting",
        "eventTime": "2026-01-03T08:00:00Z", "eventTimeZoneOffset": "+07:00",
        "epcList": [f"https://id.gs1.org/01/{gtin}/21/{serial}"],
    }).encode()  # fmt: skip


def _singles_at_once(port: int, writer: dict, gtin: str, clients: int, each: int) -> list:
    """`clients` threads posting `each` single events; every answer (status, Location)."""
    answers: list = []
    start = threading.Barrier(clients)

    def client(k: int) -> None:
        start.wait()
        for n in range(each):
            status, response, body = _request(
                port, "POST", "/epcis/events", writer, _single(gtin, f"S{k}-{n}")
            )
            answers.append((status, response.getheader("Location"), body[:300]))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_two_servers_one_truth(tmp_path):
    root = Path(f"/tmp/scpvn-ms-{uuid.uuid4().hex[:8]}")
    root.mkdir(mode=0o700)
    if os.getuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    try:
        with _cluster(root) as (p1, p2):
            _psql(p1, "CREATE DATABASE scpvn")
            _copy_run_template(p1, "scpvn")
            env = site_env(tmp_path)
            env.update(
                DATABASE_URL=f"postgres://postgres@127.0.0.1:{p1}/scpvn",
                DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{p2}/scpvn",
                REDIS_URL=f"redis://{REDIS[0]}:{REDIS[1]}/0",
                CACHE_KEY_PREFIX=f"ms-{uuid.uuid4().hex[:8]}",
            )
            setup = (
                "import django, json; django.setup()\n"
                "from django.core.management import call_command\n"
                "call_command('migrate', verbosity=0)\n"
                "call_command('collectstatic', '--noinput', verbosity=0)\n"
                "from rest_framework.authtoken.models import Token\n"
                "from scpvn.orgs.models import User\n"
                "from scpvn.registry.models import Enterprise\n"
                "from scpvn.registry.synth import tax_codes\n"
                "from scpvn.trace.models import Lot, Product\n"
                "from scpvn.trace.synth import gtin\n"
                "e = Enterprise.objects.create(tax_code=next(tax_codes('01', 7000000)),"
                " name='HTX Rau sạch', vsic_code='0118')\n"
                "p = Product.objects.create(gtin=gtin(1), name='Rau cải', enterprise=e)\n"
                "lot = Lot.objects.create(product=p, code='L1')\n"
                "u = User.objects.create(username='ms-admin', role='city_admin')\n"
                f"u.set_password({PASSWORD!r}); u.save()\n"
                "print(json.dumps({'token': Token.objects.create(user=u).key,"
                " 'gtin': p.gtin, 'lot': lot.code}))\n"
            )
            done = subprocess.run([sys.executable, "-c", setup], env=env, capture_output=True,
                                  text=True, timeout=900)  # fmt: skip
            assert done.returncode == 0, done.stderr[-3000:]
            site = json.loads(done.stdout.strip().splitlines()[-1])
            _caught_up(p1, p2)
            page = f"/01/{site['gtin']}/10/{site['lot']}"
            writer = {"Authorization": f"Token {site['token']}", "Content-Type": "application/json"}
            with gunicorn(env, workers=1, threads=2) as a, gunicorn(env, workers=1, threads=2) as b:
                # (1) B remembers the page's ETag; a capture through A retires it on B at once.
                status, response, _ = _request(b, "GET", page, {})
                assert status == 200
                # a phone keeps the cookies the first answer set, as the ETag is per visitor
                phone = {"Cookie": response.getheader("Set-Cookie", "").split(";")[0]}
                status, response, _ = _request(b, "GET", page, phone)
                etag = response.getheader("ETag")
                assert _request(b, "GET", page, {**phone, "If-None-Match": etag})[0] == 304
                status, _r, body = _request(a, "POST", "/epcis/capture", writer,
                                            _event(site["gtin"], site["lot"]))  # fmt: skip
                assert status == 202, body[:500]
                _caught_up(p1, p2)
                status, response, _ = _request(b, "GET", page, {**phone, "If-None-Match": etag})
                assert status == 200 and response.getheader("ETag") != etag

                # (2) The replica falls behind; the writer still reads their own write.
                _psql(p2, "SELECT pg_wal_replay_pause()")
                for _ in range(50):
                    if _psql(p2, "SELECT pg_get_wal_replay_pause_state()") == "paused":
                        break
                    time.sleep(0.1)
                try:
                    new_lot = f"MS{uuid.uuid4().hex[:6].upper()}"
                    status, response, body = _request(a, "POST", "/epcis/capture", writer,
                                                      _event(site["gtin"], new_lot))  # fmt: skip
                    assert status == 202, body[:500]
                    sticky = response.getheader("Set-Cookie", "").split(";")[0]
                    assert sticky.startswith("scpvn_primary=")
                    fresh = f"/01/{site['gtin']}/10/{new_lot}"
                    # a visitor without the cookie reads the (paused) replica: not there yet,
                    # so the resolver walks up to the product
                    assert _request(b, "GET", fresh, {})[0] == 307
                    # the writer, on the other server, reads the primary: there
                    assert _request(b, "GET", fresh, {"Cookie": sticky})[0] == 200
                finally:
                    _psql(p2, "SELECT pg_wal_replay_resume()")

                # (3) Sessions live in the shared cache: signed in through A, the officer is
                # known on B; signed out through A, the session is gone on B too.
                session = _sign_in(a)
                assert _request(b, "GET", "/registry/", {"Cookie": session})[0] == 200
                _sign_out(a, session)
                status, response, _ = _request(b, "GET", "/registry/", {"Cookie": session})
                assert status == 302 and "/accounts/login/" in response.getheader("Location")

                # (4) Single events at the same time through A's two threads: each request
                # is answered 201 with its own event, which is there to read.
                answers = _singles_at_once(a, writer, site["gtin"], clients=4, each=3)
                assert [status for status, _l, _b in answers] == [201] * 12, answers
                locations = {location for _s, location, _b in answers}
                assert len(locations) == 12
                for location in locations:
                    status, _r, body = _request(a, "GET", location, writer)
                    assert status == 200 and b"inspecting" in body, body[:300]
    finally:
        shutil.rmtree(root, ignore_errors=True)
