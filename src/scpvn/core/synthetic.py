"""What `scpvn synth` shares with each app's `<app>/synth.py`: the sizes, a seeded random
source, a progress bar and one bulk writer (COPY on PostgreSQL, `bulk_create` on SQLite).

An app adds its part of the synthetic province by keeping `ORDER` and `generate(run)` in
`<app>/synth.py`; the command finds them as `scpvn demo` finds the demo modules, so core names
no app. Rows are written with explicit primary keys taken from `Run.ids`, so an app can point
foreign keys at rows it has just written without reading them back.
"""

import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TextIO

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

# Counts per size. A province is the measured province; a nation ten of them and
# more events. `--scale` multiplies every count (a test runs at a few thousandths).
SIZES: dict[str, dict[str, int]] = {
    "province": {
        "enterprises": 100_000,
        "places": 3_000,
        "activities": 50_000,
        "events": 1_000_000,
    },
    "nation": {
        "enterprises": 1_000_000,
        "places": 30_000,
        "activities": 500_000,
        "events": 10_000_000,
    },
}
BATCH = 5_000


def scaled(size: str, scale: float) -> dict[str, int]:
    """The counts of `size` times `scale`, at least one of each."""
    return {name: max(1, round(count * scale)) for name, count in SIZES[size].items()}


class Progress:
    """A one-line progress bar on a terminal (a line per step elsewhere, so logs stay short)."""

    WIDTH = 30

    def __init__(self, out: TextIO = sys.stderr) -> None:
        self.out = out
        self.tty = out.isatty()

    def show(self, label: str, done: int, total: int, started: float) -> None:
        if not self.tty and done < total:
            return
        filled = self.WIDTH * done // max(total, 1)
        rate = done / max(time.monotonic() - started, 1e-9)
        line = (
            f"{label:<24} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
            f"{done:>11,}/{total:,} {rate:>9,.0f}/s"
        )
        self.out.write(("\r" if self.tty else "") + line + ("\n" if done >= total else ""))
        self.out.flush()


@dataclass
class Run:
    """One `scpvn synth` run: the counts, the random source, and what earlier steps made
    (`made`, e.g. the enterprise ids a later step hangs products on)."""

    counts: dict[str, int]
    seed: int = 2025
    progress: Progress = field(default_factory=Progress)
    made: dict[str, Any] = field(default_factory=dict)
    now: Any = field(default_factory=timezone.now)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def ids(self, model: type[models.Model], count: int) -> range:
        """`count` fresh primary keys for `model`, after the largest in the table."""
        top = model.objects.aggregate(top=models.Max("pk"))["top"] or 0
        return range(top + 1, top + 1 + count)

    def insert(
        self, model: type[models.Model], rows: Iterable[dict], total: int, label: str = ""
    ) -> int:
        """Write `rows` (field attnames → values, primary key included) in batches."""
        label = label or str(model._meta.verbose_name_plural)
        started = time.monotonic()
        written = 0
        self.progress.show(label, 0, total, started)
        writer = _copy_batch if connection.vendor == "postgresql" else _bulk_create_batch
        for batch in _batches(rows, BATCH):
            writer(model, [model(**row) for row in batch])
            written += len(batch)
            self.progress.show(label, min(written, total), total, started)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(sql)
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
        return written


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _bulk_create_batch(model: type[models.Model], objects: list[models.Model]) -> None:
    model.objects.bulk_create(objects, batch_size=500)


def _copy_batch(model: type[models.Model], objects: list[models.Model]) -> None:
    """COPY … FROM STDIN through psycopg: each value prepared by its field, as an INSERT would
    (auto_now stamps, JSON, decimals)."""
    fields = [f for f in model._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    prepare: list[Callable] = [
        (lambda obj, f=f: f.get_db_prep_save(f.pre_save(obj, True), connection)) for f in fields
    ]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row([p(obj) for p in prepare])
