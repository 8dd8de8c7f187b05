import logging
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from scpvn.core.problems import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


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


CHECKS = {"database": _database, "queue": _queue, "storage": _storage}


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and monitoring: the process answers, its database does,
    the task queue is reachable and uploads can be written. Public and cheap; 503 naming the
    part that failed (the reason goes to the log, not to the public)."""
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure of a part is that part's "failed"
            logger.exception("health check %s failed", name)
            checks[name] = "failed"
        else:
            checks[name] = "ok"
    if all(state == "ok" for state in checks.values()):
        return JsonResponse({"status": "ok", "checks": checks})
    failed = [name for name, state in checks.items() if state != "ok"]
    response = JsonResponse(
        {"status": "unavailable", "failed": failed, "checks": checks}, status=503
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unapplied_migrations() -> int:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def ready(request: HttpRequest) -> JsonResponse:
    """Readiness for a load balancer: this server may take traffic only when its database
    answers, its cache (shared Redis in production) stores and returns a value, and every
    migration of this release is applied — so a server started before `scpvn migrate` ran
    stays out of rotation. 503 with the failed checks otherwise."""
    checks: dict[str, str] = {}
    try:
        pending = _unapplied_migrations()
        checks["database"] = "ok"
        checks["migrations"] = "ok" if pending == 0 else f"{pending} chưa áp dụng (unapplied)"
    except DatabaseError:
        checks["database"] = checks["migrations"] = "không kết nối được (unreachable)"
    probe = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(probe, 1, 5)
        checks["cache"] = "ok" if cache.get(probe) == 1 else "không lưu được (not storing)"
        cache.delete(probe)
    except Exception as error:  # any backend's connection error: report it, never a 500
        checks["cache"] = f"lỗi (error): {type(error).__name__}"
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )
