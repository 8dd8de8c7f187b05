import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from scpvn.core.problems import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


Check = Callable[[], str | None]
"""A part's check: None when the part is well, else what is wrong (public words); an
exception means the part failed (its reason goes to the log, not to the public)."""


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _queue() -> None:
    """The task backend is configured and, when it is the database queue, its table answers."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.only("pk").first()


def _storage() -> None:
    """Uploads can be written (and removed) where they are kept."""
    name = default_storage.save(f".healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)


def _unapplied_migrations() -> int:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _migrations() -> str | None:
    """Every migration of this release is applied: a server started before `scpvn migrate`
    ran must stay out of rotation."""
    pending = _unapplied_migrations()
    return f"{pending} chưa áp dụng (unapplied)" if pending else None


def _cache() -> str | None:
    """The cache (shared Redis in production) stores and returns a value."""
    probe = f"readyz:{uuid.uuid4().hex}"
    cache.set(probe, 1, 5)
    stored = cache.get(probe) == 1
    cache.delete(probe)
    return None if stored else "không lưu được (not storing)"


LIVENESS: dict[str, Check] = {"database": _database, "queue": _queue, "storage": _storage}
READINESS: dict[str, Check] = {"database": _database, "migrations": _migrations, "cache": _cache}


def _answer(checks: dict[str, Check]) -> JsonResponse:
    """Run each check once and answer 200, or 503 with Retry-After naming the failed parts."""
    states: dict[str, str] = {}
    for name, check in checks.items():
        try:
            states[name] = check() or "ok"
        except Exception:  # any failure of a part is that part's "failed", never a 500
            logger.exception("health check %s failed", name)
            states[name] = "failed"
    failed = [name for name, state in states.items() if state != "ok"]
    if not failed:
        return JsonResponse({"status": "ok", "checks": states})
    response = JsonResponse(
        {"status": "unavailable", "failed": failed, "checks": states}, status=503
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and monitoring: the process answers, its database does,
    the task queue is reachable and uploads can be written. Public and cheap."""
    return _answer(LIVENESS)


def ready(request: HttpRequest) -> JsonResponse:
    """Readiness for a load balancer: this server may take traffic only when its database
    answers, its cache stores and returns a value, and every migration is applied."""
    return _answer(READINESS)
