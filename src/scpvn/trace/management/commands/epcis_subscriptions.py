"""`scpvn epcis_subscriptions`: queue the run of the EPCIS scheduled subscriptions that are
due (run it every minute, e.g. deploy/scpvn-subscriptions.timer); the worker
(`scpvn db_worker`) runs the queries and sends the results."""

from django.core.management.base import BaseCommand

from scpvn.trace.subscriptions import run_due_subscriptions


class Command(BaseCommand):
    help = "Đưa việc chạy các đăng ký EPCIS theo lịch vào hàng đợi (queue due subscriptions)."

    def handle(self, *args, **options) -> None:
        result = run_due_subscriptions.enqueue()
        self.stdout.write(f"queued {result.id}")
