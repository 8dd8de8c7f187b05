"""`scpvn epcis_partitions`: make the EPCIS event table's partitions ahead of time — this
year's and next year's, and one for every year of rows left in the DEFAULT partition (run it
daily, e.g. deploy/scpvn-partitions.timer). Capture makes its own year's partition when it is
missing, but inside the capture's transaction, which then locks the table; doing it ahead
keeps that off the capture path. Nothing to do on SQLite."""

from django.core.management.base import BaseCommand

from scpvn.trace.partitions import ensure_ahead


class Command(BaseCommand):
    help = (
        "Tạo trước các phân vùng theo năm của bảng sự kiện EPCIS (create event partitions ahead)."
    )

    def handle(self, *args, **options) -> None:
        created = ensure_ahead()
        self.stdout.write(f"created {', '.join(created)}" if created else "nothing to create")
