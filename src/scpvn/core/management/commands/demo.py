"""`scpvn demo load`: the Hanoi plan and realistic demo data, idempotently.

Each app that has demo data keeps it in `<app>/demo.py` with `ORDER` (when it runs),
`load(log)` and optionally `summary()` (lines shown once everything is loaded, the first as a
heading); this command only finds and runs them, so an app adds its data without touching
anyone else's, and core names no app.
"""

from django.core.management.base import BaseCommand, CommandParser

from scpvn.core.modules import app_submodules


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn (load the demo plan, accounts and data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])

    def handle(self, *args, **options) -> None:
        modules = sorted(app_submodules("demo"), key=lambda m: getattr(m, "ORDER", 100))
        for module in modules:
            module.load(self.stdout.write)
        for module in modules:
            heading, *lines = getattr(module, "summary", list)() or [""]
            if heading:
                self.stdout.write(self.style.SUCCESS(heading))
            for line in lines:
                self.stdout.write(line)
