"""`scpvn synth`: a synthetic province (or nation) for load tests and benchmarks.

Each app that has synthetic data keeps it in `<app>/synth.py` with `ORDER` and
`generate(run)`; this command sizes the run and calls them in order, so core names no app.
Needs a migrated database with a plan loaded (`scpvn plan load` or `scpvn demo load`).
"""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from scpvn.core.modules import app_submodules
from scpvn.core.synthetic import SIZES, Run, scaled


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu tổng hợp cỡ một tỉnh hoặc cả nước "
        "(generate a synthetic province or nation: enterprises, places, activities, events)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="province")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="nhân mọi số lượng (multiply every count), e.g. 0.01",
        )
        for name in SIZES["province"]:
            parser.add_argument(
                f"--{name}", type=int, help=f"số {name} (the number of {name}), overriding the size"
            )
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, size: str, scale: float, seed: int, **options) -> None:
        if scale <= 0:
            raise CommandError("--scale phải lớn hơn 0 (must be positive)")
        counts = scaled(size, scale)
        for name in counts:
            if options.get(name) is not None:
                if options[name] < 1:
                    raise CommandError(f"--{name} phải lớn hơn 0 (must be positive)")
                counts[name] = options[name]
        self.stdout.write(
            ", ".join(f"{name} {count:,}" for name, count in counts.items())
            + f" ({size} × {scale})"
        )
        self.stdout.flush()
        run = Run(counts=counts, seed=seed)
        started = time.monotonic()
        with transaction.atomic():
            for module in sorted(app_submodules("synth"), key=lambda m: getattr(m, "ORDER", 100)):
                module.generate(run)
        if connection.vendor == "postgresql":
            self.stdout.write("Thống kê cho bộ lập kế hoạch (ANALYZE)…")
            analyze_tables_without_statistics()
        self.stdout.write(
            self.style.SUCCESS(f"Xong (done) trong {time.monotonic() - started:.1f} s")
        )


def analyze_tables_without_statistics() -> None:
    """ANALYZE the tables the planner has no statistics for. Each table synth fills is
    analysed as soon as it is written (`Run.insert`), but the tables beside them (the units
    the migrations loaded, the plan, users and sessions of `plan load` or `demo load`) never
    were: autovacuum would see to them on a production server, and it is off on the
    project's test server. Pages measured right after a load then ran on plans made for
    empty tables (the registry list's joins to the units among them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT oid::regclass::text FROM pg_class WHERE relkind = 'r' AND reltuples < 0 "
            "AND relnamespace = current_schema()::regnamespace"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"ANALYZE {table}")
