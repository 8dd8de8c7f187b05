import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
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
