"""`scpvn backup FILE`: the database and uploaded files in one checked archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scpvn.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp .tar.gz (back up)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args, file: Path, database: str, **options) -> None:
        try:
            write_backup(file, using=database, log=self.stdout.write)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
