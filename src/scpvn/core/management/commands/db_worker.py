"""`scpvn db_worker`: django-tasks' database worker, doing what the app servers do once
loaded (`core.startup`). A worker runs large EPCIS captures, imports and indicator
recomputes, which allocate much; without this each of their full collections walked every
module, model and compiled schema of the process again."""

from importlib import import_module

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from scpvn.core.modules import app_submodules
from scpvn.core.startup import freeze_loaded_objects


class Command(WorkerCommand):
    def handle(self, *args, batch: bool, **options) -> None:
        # A worker that keeps running; `--batch` (tests, one-off runs) empties the queue and
        # exits, and its process may go on to other work whose objects must stay collectable
        if not batch:
            # the apps' code (tasks, and views with what they import) loaded before freezing
            app_submodules("tasks")
            import_module(settings.ROOT_URLCONF)
            freeze_loaded_objects()
        super().handle(*args, batch=batch, **options)
