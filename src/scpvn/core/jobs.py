"""Queueing background jobs that recompute "everything from the records" (run by
`scpvn db_worker`).

Such a job needs queueing once per burst of changes, not once per change: a job that has not
started yet reads every record committed before it starts, so a change committed while one
waits is already covered. Queueing per change made 10,000 OpenRosa visits queue 10,000 full
recomputes of every plan's indicators.
"""

from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend


def enqueue_unless_waiting(task: Task) -> bool:
    """Queue `task` (no arguments) unless a run of it is queued and not yet started.
    Call after the change has committed (`transaction.on_commit`). True when queued.

    Two callers checking at once may both queue: a spare run, never a missed one. A run
    already started may have read before the change, so it does not count as waiting."""
    if isinstance(task.get_backend(), DatabaseBackend):
        from django_tasks_db.models import DBTaskResult  # a model: imported once apps are ready

        waiting = DBTaskResult.objects.filter(
            task_path=task.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return False
    task.enqueue()
    return True
