"""EPCIS 2.0 query subscriptions by WebSocket (openapi.yaml: GET /queries/{queryName}/events
with `Upgrade: websocket` and either `stream=true` or the schedule fields `second`, `minute`,
`hour`, `dayOfMonth`, `month`, `dayOfWeek`; `reportIfEmpty`, `initialRecordTime`).

Served by the ASGI entry point (`scpvn/asgi.py`, run by uvicorn); plain HTTP stays Django's.
The handshake is checked as the HTTP API checks a request, before the socket is accepted:
the same token or session authentication and role rule as `epcis.EPCISView` (401 with
WWW-Authenticate, 403), the same subscription rules as a webhook
(`subscriptions.socket_subscription`: the user's own named query — another user's is 404 —,
stream xor schedule), refusals as problem+json on the handshake's HTTP answer. A browser
session must come from this site (Origin), as the CSRF check asks of a form.

Each message is one document, built as the webhook's are (`subscriptions.stream_documents`,
`scheduled_documents`): an EPCISQueryDocument with the subscriptionID, or a problem. What a
message holds is the query run with its owner's scope at that moment; the named query and
the user are read again at each delivery, and the credentials every
SCPVN_EPCIS_WS_RECHECK seconds: a deleted query closes the socket (1000, as DELETE
/queries/{name} "forcibly unsubscribes"), a user who lost access is closed with 1008.

Across processes, a committed capture is announced on Redis pub/sub (channel under
CACHE_KEY_PREFIX) when REDIS_URL/CACHE_URL is set: every ASGI process listens and feeds its
own sockets, so a capture made through any server (or the task worker) reaches every
socket, once. Without Redis, a process hears only its own captures: right for one server.
Bounded: SCPVN_EPCIS_WS_MAX_PER_USER sockets per user and SCPVN_EPCIS_WS_MAX in all, each per
server process (429 / 503 past them), a queue of SCPVN_EPCIS_WS_QUEUE captures per socket (a
client that does not read is closed, 1013), pings by the server (uvicorn --ws-ping-*).
"""

import asyncio
import contextlib
import datetime as dt
import io
import json
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urlsplit

import redis
import redis.asyncio
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed

from scpvn.core.tokens import ExpiringTokenAuthentication
from scpvn.orgs.access import HasRole
from scpvn.trace.capture import capture_committed
from scpvn.trace.epcis import EPCIS_HEADERS, EXCEPTION_TYPES, QueryEventsView
from scpvn.trace.errors import TraceErrorCode
from scpvn.trace.models import NamedQuery, Subscription
from scpvn.trace.namedqueries import NoSuchQuery
from scpvn.trace.subscriptions import (
    SubscriptionError,
    catch_up_documents,
    scheduled_documents,
    socket_subscription,
    stream_documents,
)
from scpvn.trace.validation import format_time_utc

log = logging.getLogger(__name__)
CONTROLS = "epcisException:SubscriptionControlsException"
CLOSE_NORMAL = 1000
CLOSE_POLICY = 1008
CLOSE_ERROR = 1011
CLOSE_TRY_AGAIN = 1013


class Refused(Exception):
    """The handshake is answered with this HTTP status and problem instead of 101."""

    def __init__(self, status: int, detail: str, code: str, **extra):
        super().__init__(detail)
        self.status, self.detail, self.code, self.extra = status, detail, code, extra

    def problem(self) -> dict:
        kind = self.extra.pop("type", EXCEPTION_TYPES.get(self.status, "about:blank"))
        return {
            "type": kind,
            "title": "WebSocket subscription refused",
            "status": self.status,
            "detail": self.detail,
            "code": str(self.code),
        }


def pubsub_url() -> str:
    return settings.CACHE_URL if settings.CACHE_URL.startswith(("redis://", "rediss://")) else ""


def channel() -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "scpvn"
    return f"{prefix}:epcis:captures"


# --- The handshake (sync: runs in a thread) ------------------------------------------------


def _request(scope: dict) -> ASGIRequest:
    """The handshake as a Django request, so authentication reads it as the API's does."""
    scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "ws"), "http")
    return ASGIRequest({**scope, "type": "http", "method": "GET", "scheme": scheme}, io.BytesIO())


def _same_site(request) -> bool:
    origin = request.headers.get("Origin")
    if origin is None:  # not a browser: cookies were not sent on someone else's behalf
        return True
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    return urlsplit(origin).netloc == request.get_host()


def authenticate(request: ASGIRequest):
    """The user the handshake (as a request, `_request`) speaks for, as EPCISView
    authenticates (token first, then a session) and authorises (HasRole with the query
    view's roles); Refused otherwise."""
    try:
        request.get_host()  # ALLOWED_HOSTS, as for any request
    except DisallowedHost as error:
        raise Refused(400, str(error), TraceErrorCode.QUERY_PARAMETER) from error
    try:
        found = ExpiringTokenAuthentication().authenticate(request)
    except AuthenticationFailed as error:
        raise Refused(401, str(error.detail), error.get_codes()) from error
    if found is not None:
        user = found[0]
    else:
        engine = import_module(settings.SESSION_ENGINE)
        request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        user = get_user(request)
        if user.is_authenticated and not _same_site(request):
            raise Refused(403, "Origin không thuộc trang này", "permission_denied")
    if not user.is_authenticated or not user.is_active:
        raise Refused(
            401,
            "Cần đăng nhập hoặc token (Authorization: Token …)",
            "not_authenticated",
        )
    request.user = user
    if not HasRole().has_permission(request, QueryEventsView()):
        raise Refused(403, HasRole.message, "permission_denied")
    return user


def open_subscription(scope: dict) -> Subscription:
    """The handshake's subscription, or Refused: who (authenticate) and what
    (subscriptions.socket_subscription, the webhook's rules)."""
    try:
        match = resolve(scope["path"])
    except Resolver404:
        match = None
    if match is None or match.view_name != "trace:query-events":
        raise Refused(
            404, f"Không có tài nguyên WebSocket {scope['path']}", TraceErrorCode.NO_SUCH_NAME
        )
    request = _request(scope)
    user = authenticate(request)
    try:
        return socket_subscription(user, match.kwargs["name"], request.GET)
    except NoSuchQuery as error:
        raise Refused(404, str(error), TraceErrorCode.NO_SUCH_NAME) from error
    except SubscriptionError as error:
        raise Refused(
            400, str(error), TraceErrorCode.SUBSCRIPTION_CONTROLS, type=CONTROLS
        ) from error


def still_allowed(scope: dict, subscription: Subscription, credentials: bool) -> str:
    """'' while the socket may go on; otherwise why it closes. Reloads the named query and
    its owner (deleted, role changed) and, when asked, the credentials (token expired or
    revoked, session ended)."""
    named = (
        NamedQuery.objects.select_related("owner")
        .filter(pk=subscription.query_id, owner_id=subscription.owner_id)
        .first()
    )
    if named is None:
        return "query deleted"
    subscription.query, subscription.owner = named, named.owner
    if credentials:
        try:
            user = authenticate(_request(scope))
        except Refused as refused:
            return refused.detail
        if user.pk != subscription.owner_id:
            return "user changed"
    return ""


def _in_thread(function):
    """Django's ORM from the event loop: in Django's sync thread, with stale connections
    dropped as a request's end would."""

    def run(*args, **kwargs):
        close_old_connections()
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(run, thread_sensitive=True)


# --- The hub: this process's sockets, fed by captures --------------------------------------


@dataclass(eq=False)
class Socket:
    subscription: Subscription
    queue: asyncio.Queue = field(
        default_factory=lambda: asyncio.Queue(settings.SCPVN_EPCIS_WS_QUEUE)
    )
    overflowed: bool = False


class Hub:
    """The sockets open in this process, and the listener that tells them of captures."""

    def __init__(self):
        self.sockets: dict[int, set[Socket]] = defaultdict(set)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.listener: asyncio.Task | None = None
        self.ready: asyncio.Event | None = None
        self.lock = threading.Lock()

    def count(self) -> int:
        return sum(len(found) for found in self.sockets.values())

    def add(self, socket: Socket) -> None:
        owner = socket.subscription.owner_id
        if len(self.sockets[owner]) >= settings.SCPVN_EPCIS_WS_MAX_PER_USER:
            raise Refused(
                429,
                f"Mỗi người dùng mở tối đa {settings.SCPVN_EPCIS_WS_MAX_PER_USER} WebSocket",
                TraceErrorCode.SUBSCRIPTION_CONTROLS,
                type="epcisException:CaptureLimitExceededException",
            )
        if self.count() >= settings.SCPVN_EPCIS_WS_MAX:
            raise Refused(503, "Máy chủ đã đủ số WebSocket", TraceErrorCode.SUBSCRIPTION_CONTROLS)
        self.sockets[owner].add(socket)

    def remove(self, socket: Socket) -> None:
        owner = socket.subscription.owner_id
        self.sockets[owner].discard(socket)
        if not self.sockets[owner]:
            del self.sockets[owner]

    def captured(self, capture_id: str) -> None:
        """A capture committed: each stream socket of this process gets it to run."""
        for found in self.sockets.values():
            for socket in found:
                if not socket.subscription.stream:
                    continue
                try:
                    socket.queue.put_nowait(capture_id)
                except asyncio.QueueFull:  # the socket's loop sees it at its next item
                    socket.overflowed = True

    async def start(self) -> None:
        """Listen (Redis) before the first socket is accepted, so no capture committed after
        its handshake is missed."""
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            self.ready = asyncio.Event()
            if pubsub_url():
                self.listener = asyncio.create_task(self._listen())
            else:
                self.ready.set()
        await self.ready.wait()

    async def stop(self) -> None:
        if self.listener is not None:
            self.listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.listener
        self.loop = self.listener = self.ready = None

    async def _listen(self) -> None:
        delay = 1.0
        while True:
            client = redis.asyncio.Redis.from_url(pubsub_url())
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(channel())
                    self.ready.set()
                    delay = 1.0
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            self.captured(message["data"].decode())
            except (redis.RedisError, OSError) as error:
                log.warning("EPCIS WebSocket: Redis pub/sub lost (%s); retrying", error)
                self.ready.set()  # serve the sockets still; captures elsewhere wait for Redis
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
            finally:
                await client.aclose()

    def announce_here(self, capture_id: str) -> None:
        """From any thread of this process (the on_commit of a capture)."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.captured, capture_id)


HUB = Hub()
_publisher: redis.Redis | None = None


@receiver(capture_committed)
def _announce(sender, capture_id, **kwargs) -> None:
    """Tell every WebSocket of every process (Redis) or of this one (none configured).
    A failure to publish never fails the capture, which is already committed."""
    global _publisher
    url = pubsub_url()
    if not url:
        HUB.announce_here(str(capture_id))
        return
    try:
        if _publisher is None:
            _publisher = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        _publisher.publish(channel(), str(capture_id))
    except (redis.RedisError, OSError) as error:
        log.warning("EPCIS WebSocket: capture %s not announced: %s", capture_id, error)


# --- One connection -------------------------------------------------------------------------


async def _refuse(send, refused: Refused, extensions: dict) -> None:
    if "websocket.http.response" not in extensions:
        await send({"type": "websocket.close", "code": CLOSE_POLICY})
        return
    body = json.dumps(refused.problem(), ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/problem+json")]
    headers += [(k.lower().encode(), v.encode()) for k, v in EPCIS_HEADERS.items()]
    if refused.status == 401:
        headers.append((b"www-authenticate", b"Token"))
    await send(
        {"type": "websocket.http.response.start", "status": refused.status, "headers": headers}
    )
    await send({"type": "websocket.http.response.body", "body": body})


async def serve(scope: dict, receive, send) -> None:
    """An ASGI WebSocket connection: the handshake, then documents until either side ends."""
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await HUB.start()
    try:
        subscription = await _in_thread(open_subscription)(scope)
        socket = Socket(subscription)
        HUB.add(socket)
    except Refused as refused:
        await _refuse(send, refused, scope.get("extensions") or {})
        return
    try:
        headers = [
            (b"gs1-query-min-record-time", format_time_utc(subscription.min_record_time).encode())
        ]
        headers += [(k.lower().encode(), v.encode()) for k, v in EPCIS_HEADERS.items()]
        await send({"type": "websocket.accept", "headers": headers})
        opened = timezone.now()
        deliveries = asyncio.create_task(_deliver(scope, socket, send, opened))
        closed = asyncio.create_task(_until_closed(receive))
        done, _pending = await asyncio.wait(
            {deliveries, closed}, return_when=asyncio.FIRST_COMPLETED
        )
        for task in (deliveries, closed):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if deliveries in done and deliveries.exception() is not None:
            log.error("EPCIS WebSocket failed", exc_info=deliveries.exception())
            with contextlib.suppress(OSError, RuntimeError):  # the client may be gone too
                await send({"type": "websocket.close", "code": CLOSE_ERROR})
    finally:
        HUB.remove(socket)


async def _until_closed(receive) -> None:
    """The binding defines no client messages: anything sent is read and dropped."""
    while (await receive())["type"] != "websocket.disconnect":
        pass


async def _send_documents(send, documents) -> None:
    for document, _count, _type in documents:
        await send({"type": "websocket.send", "text": json.dumps(document, ensure_ascii=False)})


async def _deliver(scope: dict, socket: Socket, send, opened: dt.datetime) -> None:
    subscription = socket.subscription
    if subscription.stream and subscription.initial_record_time < opened:
        await _send_documents(send, await _in_thread(catch_up_documents)(subscription, opened))
    recheck = settings.SCPVN_EPCIS_WS_RECHECK
    credentials_at = asyncio.get_running_loop().time() + recheck
    while True:
        wait = max(credentials_at - asyncio.get_running_loop().time(), 0)
        if subscription.next_run_at is not None:
            until = (subscription.next_run_at - timezone.now()).total_seconds()
            wait = min(wait, max(until, 0))
        try:
            capture_id = await asyncio.wait_for(socket.queue.get(), timeout=wait)
        except TimeoutError:
            capture_id = None
        if socket.overflowed:
            await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN, "reason": "too slow"})
            return
        now_loop = asyncio.get_running_loop().time()
        credentials = now_loop >= credentials_at
        if credentials:
            credentials_at = now_loop + recheck
        why = await _in_thread(still_allowed)(scope, subscription, credentials)
        if why:
            code = CLOSE_NORMAL if why == "query deleted" else CLOSE_POLICY
            reason = why.encode()[:120].decode(errors="ignore")  # a close reason ≤ 123 bytes
            await send({"type": "websocket.close", "code": code, "reason": reason})
            return
        if capture_id is not None:
            documents = await _in_thread(stream_documents)(subscription, capture_id)
        elif subscription.next_run_at is not None and timezone.now() >= subscription.next_run_at:
            documents = await _in_thread(scheduled_documents)(subscription, timezone.now())
        else:
            continue
        await _send_documents(send, documents)
