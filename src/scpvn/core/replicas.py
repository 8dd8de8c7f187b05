"""Reading from a PostgreSQL streaming replica without ever showing a user a stale page of
their own making.

With `DATABASE_REPLICA_URL` set, the pages named in `SCPVN_REPLICA_VIEWS` (the public
portal, the consumer page, open data: read-only and read by everyone) read from the
`replica` database on GET and HEAD; everything else, and every write, uses `default`. A
browser that has just written anything (any POST, PUT, PATCH or DELETE) carries a short-lived
cookie, and while it does all its reads go to the primary too, so replica lag never hides
the user's own write. Without a replica the router answers `None` everywhere: Django's
default.
"""

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
STICKY_COOKIE = "scpvn_primary"
_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "scpvn_reading_replica", default=False
)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def view_reads_replica(request: HttpRequest) -> bool:
    """Whether this request's view is one of `SCPVN_REPLICA_VIEWS` (`namespace:name`, or
    `namespace:*` for a whole app)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    names = settings.SCPVN_REPLICA_VIEWS
    return match.view_name in names or f"{match.namespace}:*" in names


class ReplicaRouter:
    """Reads to the replica only while a replica-marked request is being served."""

    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if _reading_replica.get() else None

    def db_for_write(self, model, **hints) -> str | None:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return True  # the replica holds the primary's rows: same database for relations

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        return db != REPLICA


class ReplicaMiddleware:
    """Marks the request for the replica when its view is listed, its method is safe and the
    browser has not written recently; sets the sticky cookie after a write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reading_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            _reading_replica.reset(token)
        if request.method not in SAFE_METHODS and replica_configured():
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.SCPVN_REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if (
            replica_configured()
            and request.method in SAFE_METHODS
            and STICKY_COOKIE not in request.COOKIES
            and view_reads_replica(request)
        ):
            _reading_replica.set(True)
