"""Background jobs (django-tasks, database backend; run `scpvn db_worker`)."""

from django_tasks import task

from scpvn.core.clock import today
from scpvn.progress.reminders import activity_reminders, task_reminders
from scpvn.reports.reminders import report_reminders


@task()
def send_reminders() -> dict[str, int]:
    """Deadline and overdue reminders for tasks, activities and reports, in the app and by
    e-mail. Safe to run as often as wanted: each reminder goes out once."""
    day = today()
    return {
        "tasks": task_reminders(day),
        "activities": activity_reminders(day),
        "reports": report_reminders(day),
    }
