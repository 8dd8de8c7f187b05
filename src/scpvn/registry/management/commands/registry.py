"""`scpvn registry import FILE [--dry-run]` and `scpvn registry template --out FILE`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scpvn.registry.importing import import_file, template_workbook


class Command(BaseCommand):
    help = "Sổ doanh nghiệp: nhập từ XLSX/CSV, xuất tệp mẫu (registry import and template)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importing = sub.add_parser("import", help="nhập doanh nghiệp từ tệp XLSX hoặc CSV")
        importing.add_argument("file", type=Path)
        importing.add_argument(
            "--dry-run", action="store_true", help="chỉ kiểm tra, không ghi (validate only)"
        )
        template = sub.add_parser("template", help="ghi tệp mẫu XLSX")
        template.add_argument("--out", type=Path, required=True)

    def handle(self, *args, **options) -> None:
        if options["action"] == "template":
            options["out"].write_bytes(template_workbook())
            self.stdout.write(f"Đã ghi tệp mẫu {options['out']}")
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: không tìm thấy tệp (file not found)")
        result = import_file(path, dry_run=options["dry_run"])
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(
                f"{len(result.problems)} lỗi; không ghi dữ liệu nào (nothing written)",
                returncode=1,
            )
        verb = "sẽ tạo mới" if result.dry_run else "tạo mới"
        self.stdout.write(
            f"{result.rows} dòng hợp lệ: {verb} {result.created}, cập nhật {result.updated}"
            + (" (chạy thử, chưa ghi — dry run)" if result.dry_run else "")
        )
