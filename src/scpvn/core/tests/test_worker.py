"""`scpvn db_worker` is the project's own: a long-running worker freezes what it loaded."""

import gc

from django.core.management import call_command, get_commands
from django_tasks_db.management.commands import db_worker


def test_scpvn_db_worker_is_the_projects_command():
    assert get_commands()["db_worker"] == "scpvn.core"


def test_a_long_running_worker_freezes_the_loaded_application(monkeypatch):
    seen = []
    monkeypatch.setattr(db_worker.Worker, "run", lambda worker: seen.append(gc.get_freeze_count()))
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda worker: None)
    gc.unfreeze()
    try:
        call_command("db_worker", batch=True, verbosity=0)
        call_command("db_worker", reload=False, verbosity=0)
    finally:
        gc.unfreeze()  # this test process goes on to other tests
    batch, running = seen
    assert batch == 0 and running > 10_000
