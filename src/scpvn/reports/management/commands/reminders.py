"""`scpvn reminders`: queue the reminder job (run it daily, e.g. from cron); the worker
(`scpvn db_worker`) sends them."""

from django.core.management.base import BaseCommand

from scpvn.reports.tasks import send_reminders


class Command(BaseCommand):
    help = "Đưa việc gửi nhắc hạn vào hàng đợi (queue deadline and overdue reminders)."

    def handle(self, *args, **options) -> None:
        result = send_reminders.enqueue()
        self.stdout.write(f"queued {result.id}")
