"""`scpvn demo load`: the Hanoi plan and realistic demo data, idempotently.

Each app that has demo data keeps it in `<app>/demo.py` with `ORDER` (when it runs) and
`load(log)`; this command only finds and runs them, so an app adds its data without
touching anyone else's.
"""

from django.core.management.base import BaseCommand, CommandParser

from scpvn.core.modules import app_submodules


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn (load the demo plan, accounts and data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])

    def handle(self, *args, **options) -> None:
        for module in sorted(app_submodules("demo"), key=lambda m: getattr(m, "ORDER", 100)):
            module.load(self.stdout.write)
        from scpvn.orgs.demo import ACCOUNTS, PASSWORD

        self.stdout.write(self.style.SUCCESS("\nTài khoản trình diễn (demo accounts):"))
        for username, role, _scope, full_name in ACCOUNTS:
            self.stdout.write(f"  {username:<18} {PASSWORD}   {role:<18} {full_name}")
