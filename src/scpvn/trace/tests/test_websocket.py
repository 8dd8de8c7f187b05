"""EPCIS 2.0 query subscriptions by WebSocket (openapi.yaml, GET /queries/{name}/events with
Upgrade: websocket), end to end: a real uvicorn serving `scpvn.asgi` on loopback over a
throwaway SQLite site, a real WebSocket client, captures through the HTTP API.

Shows that a captured event reaches the socket once, with only what the subscriber may read;
that the handshake is refused as the API refuses (401 without credentials, 404 for a query
that is not the user's, 400 for controls the binding forbids, 403 for a session from another
site, 429 past the per-user bound); that deleting the query closes the socket; that a
scheduled socket gets its run. With Redis, a capture through a gunicorn (WSGI) server reaches
a socket held by a uvicorn process (pub/sub); without Redis that test says so and is skipped.
"""

import contextlib
import http.client
import json
import os
import subprocess
import sys
import uuid

import pytest
from bench.loadtest import REDIS, gunicorn, redis_answers, site_env, uvicorn
from bench.throwaway import migrated_sqlite
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

WAIT = 90  # seconds a message may take on a loaded two-core machine (a bound, not a measure)
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="builds its own SQLite site for the servers; runs once, in the SQLite pass",
)

SETUP = """
import django, json; django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
call_command('migrate', verbosity=0)
call_command('collectstatic', '--noinput', verbosity=0)
from rest_framework.authtoken.models import Token
from scpvn.orgs.models import User
from scpvn.registry.models import Enterprise
from scpvn.registry.synth import tax_codes
from scpvn.trace.models import Product
from scpvn.trace.namedqueries import create_query
from scpvn.trace.synth import gtin
codes = tax_codes('01', 7100000)
ours = Enterprise.objects.create(tax_code=next(codes), name='HTX Rau sạch', vsic_code='0118')
theirs = Enterprise.objects.create(tax_code=next(codes), name='HTX Khác', vsic_code='0118')
mine = Product.objects.create(gtin=gtin(11), name='Rau cải', enterprise=ours)
other = Product.objects.create(gtin=gtin(12), name='Rau muống', enterprise=theirs)
admin = User.objects.create(username='ws-admin', role='city_admin')
member = User.objects.create(username='ws-member', role='enterprise_user')
ours.members.add(member)
stranger = User.objects.create(username='ws-stranger', role='city_admin')
query = {'eventType': ['ObjectEvent']}
for user, name in ((admin, 'all'), (member, 'mine'), (stranger, 'theirs')):
    create_query(user, {'name': name, 'query': query})
session = SessionStore()
session[SESSION_KEY] = str(admin.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
session.create()
print(json.dumps({
    'admin': Token.objects.create(user=admin).key,
    'member': Token.objects.create(user=member).key,
    'stranger': Token.objects.create(user=stranger).key,
    'session': session.session_key, 'mine': mine.gtin, 'other': other.gtin,
}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated throwaway site: environment for its servers and the names it holds."""
    var_dir = tmp_path_factory.mktemp("ws-site")
    migrated_sqlite(var_dir)  # a copy of make test's migrated template, when there is one
    env = site_env(var_dir)
    env.update(
        SCPVN_EPCIS_SUBSCRIPTION_SETTLE="0",
        SCPVN_EPCIS_WS_MAX_PER_USER="2",
        CACHE_URL="",
        REDIS_URL="",
    )
    done = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return env, json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def server(site):
    """One uvicorn, no Redis: the in-process path from capture to socket."""
    env, names = site
    with uvicorn(env) as port:
        yield port, names


def _http(port: int, method: str, path: str, token: str, body: bytes | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        conn.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **headers})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _document(*items: tuple[str, str]) -> bytes:
    """An EPCISDocument of one shipping ObjectEvent per (gtin, lot)."""
    events = [
        {
            "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping",
            "eventTime": "2026-01-02T08:00:00Z", "eventTimeZoneOffset": "+07:00",
            "quantityList": [
                {"epcClass": f"https://id.gs1.org/01/{gtin}/10/{lot}", "quantity": 5}
            ],
        }
        for gtin, lot in items
    ]  # fmt: skip
    return json.dumps({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-01-01T00:00:00Z",
        "epcisBody": {"eventList": events},
    }).encode()  # fmt: skip


def _capture(port: int, token: str, *items: tuple[str, str]) -> None:
    status, body = _http(port, "POST", "/epcis/capture", token, _document(*items))
    assert status == 202, body[:500]


def _lot() -> str:
    return f"WS{uuid.uuid4().hex[:8].upper()}"


def _socket(port: int, path: str, token: str | None = None, **headers):
    if token:
        headers["Authorization"] = f"Token {token}"
    return connect(
        f"ws://127.0.0.1:{port}{path}",
        additional_headers=headers,
        proxy=None,
        open_timeout=WAIT,
    )


def _lots(message: str) -> list[str]:
    document = json.loads(message)
    assert document["type"] == "EPCISQueryDocument"
    events = document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    return [event["quantityList"][0]["epcClass"].rsplit("/", 1)[1] for event in events]


def _refusal(port: int, path: str, token: str | None = None, **headers):
    with pytest.raises(InvalidStatus) as refused, _socket(port, path, token, **headers):
        pass
    response = refused.value.response
    return response.status_code, response.headers, json.loads(response.body)


def test_a_capture_reaches_the_socket_once_with_only_what_the_user_may_read(server):
    port, names = server
    path = "/epcis/queries/{}/events?stream=true"
    with (
        _socket(port, path.format("mine"), names["member"]) as member,
        _socket(port, path.format("all"), names["admin"]) as admin,
    ):
        assert member.response.headers["GS1-Query-Min-Record-Time"].endswith("Z")
        first, foreign, second = _lot(), _lot(), _lot()
        _capture(port, names["admin"], (names["mine"], first), (names["other"], foreign))
        # the member's enterprise owns only the first product; the administrator reads both
        assert _lots(member.recv(timeout=WAIT)) == [first]
        assert sorted(_lots(admin.recv(timeout=WAIT))) == sorted([first, foreign])
        _capture(port, names["admin"], (names["mine"], second))
        # the next message is the next capture: the first was not sent twice
        message = member.recv(timeout=WAIT)
        assert _lots(message) == [second]
        results = json.loads(message)["epcisBody"]["queryResults"]
        assert results["queryName"] == "mine" and results["subscriptionID"]


def test_the_handshake_is_refused_as_the_api_refuses(server):
    port, names = server
    stream = "/epcis/queries/{}/events?stream=true"
    status, headers, problem = _refusal(port, stream.format("mine"))
    assert status == 401 and headers["WWW-Authenticate"] == "Token"
    assert problem["type"] == "epcisException:SecurityException"
    assert _refusal(port, stream.format("mine"), "not-a-token")[0] == 401
    # another user's query is not there for this user, as on GET /queries/{name}
    status, _h, problem = _refusal(port, stream.format("theirs"), names["member"])
    assert (status, problem["type"]) == (404, "epcisException:NoSuchNameException")
    for query in ("stream=true&hour=1", "", "stream=false", "minute=61"):
        path = f"/epcis/queries/mine/events?{query}"
        status, _h, problem = _refusal(port, path, names["member"])
        assert (status, problem["type"]) == (400, "epcisException:SubscriptionControlsException")
    assert _refusal(port, "/epcis/events", names["member"])[0] == 404
    # a browser session from another site is refused; from this one it is the user
    cookie = f"sessionid={names['session']}"
    status, _h, _p = _refusal(
        port, stream.format("all"), Cookie=cookie, Origin="https://evil.example"
    )
    assert status == 403
    with _socket(
        port, stream.format("all"), Cookie=cookie, Origin=f"http://127.0.0.1:{port}"
    ) as ok:
        assert ok.response.status_code == 101


def test_sockets_per_user_are_bounded(server):
    port, names = server
    path = "/epcis/queries/mine/events?stream=true"
    with _socket(port, path, names["member"]), _socket(port, path, names["member"]):
        status, _h, _p = _refusal(port, path, names["member"])
        assert status == 429
    with _socket(port, path, names["member"]) as again:  # closed ones are counted out
        assert again.response.status_code == 101


def test_deleting_the_query_closes_its_sockets(server):
    port, names = server
    body = json.dumps({"name": "short-lived", "query": {"eventType": ["ObjectEvent"]}}).encode()
    assert _http(port, "POST", "/epcis/queries", names["admin"], body)[0] == 201
    with _socket(port, "/epcis/queries/short-lived/events?stream=true", names["admin"]) as ws:
        assert _http(port, "DELETE", "/epcis/queries/short-lived", names["admin"])[0] == 204
        _capture(port, names["admin"], (names["mine"], _lot()))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=WAIT)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000


def test_a_scheduled_socket_gets_its_run(server):
    port, names = server
    with _socket(port, "/epcis/queries/mine/events?second=*", names["member"]) as ws:
        lot = _lot()
        _capture(port, names["admin"], (names["mine"], lot))
        # runs with nothing new are not sent (reportIfEmpty is false): the first is the lot
        assert _lots(ws.recv(timeout=WAIT)) == [lot]


@pytest.mark.skipif(not redis_answers(), reason="needs Redis at 127.0.0.1:6379 (pub/sub)")
def test_a_capture_through_another_server_reaches_the_socket_once(site):
    env, names = site
    env = {
        **env,
        "REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0",
        "CACHE_KEY_PREFIX": f"ws-{uuid.uuid4().hex[:8]}",
    }
    with contextlib.ExitStack() as servers:
        http_port = servers.enter_context(gunicorn(env, workers=1, threads=2))
        socket_port = servers.enter_context(uvicorn(env))
        path = "/epcis/queries/mine/events?stream=true"
        with _socket(socket_port, path, names["member"]) as ws:
            first, second = _lot(), _lot()
            _capture(http_port, names["admin"], (names["mine"], first))
            assert _lots(ws.recv(timeout=WAIT)) == [first]
            _capture(http_port, names["admin"], (names["mine"], second))
            assert _lots(ws.recv(timeout=WAIT)) == [second]


def test_the_asgi_server_answers_http_as_django(server):
    port, names = server
    status, body = _http(port, "GET", "/epcis/queries/mine/events", names["member"])
    assert status == 200 and json.loads(body)["type"] == "EPCISQueryDocument"
