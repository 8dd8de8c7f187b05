import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse

from scpvn.core.problems import database_unavailable


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and monitoring: the process answers and its database does.
    Public and cheap (one `SELECT 1`); says nothing about the data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return database_unavailable(request)
    return JsonResponse({"status": "ok"})


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
