"""`scpvn restore FILE`: load a backup into an empty, migrated database, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scpvn.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục bản sao lưu vào cơ sở dữ liệu trống đã migrate; tệp hỏng bị từ chối "
        "và không ghi gì (restore)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args, file: Path, database: str, **options) -> None:
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp sao lưu: {file}")
        try:
            restore_backup(file, using=database, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
