"""`scpvn plan validate|load|export|schema`."""

import json
import sys
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scpvn.plans.planfile import PlanFileError, read_plan_file
from scpvn.plans.schema import json_schema


class Command(BaseCommand):
    help = "Kiểm tra, nạp và xuất tệp kế hoạch (validate, load and export plan files)."
    requires_system_checks: list = []  # validate and schema must run without a database

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        validate = sub.add_parser("validate", help="kiểm tra tệp, không cần cơ sở dữ liệu")
        validate.add_argument("file")
        validate.add_argument("--json", action="store_true", help="in kế hoạch đã chuẩn hóa")
        load = sub.add_parser("load", help="tạo hoặc cập nhật kế hoạch trong cơ sở dữ liệu")
        load.add_argument("file")
        export = sub.add_parser(
            "export", help="xuất kế hoạch theo tên định danh (slug) hoặc số, ký hiệu"
        )
        export.add_argument("code", help="slug (ha-noi-96-kh-ubnd-2020) hoặc số (96/KH-UBND)")
        export.add_argument("--year", type=int, help="năm ban hành, khi số đã dùng nhiều năm")
        export.add_argument("--format", choices=["yaml", "json"], default="yaml")
        export.add_argument("--out", help="tệp đích (mặc định: stdout)")
        sub.add_parser("schema", help="in JSON Schema của tệp kế hoạch").add_argument(
            "--out", help="tệp đích (mặc định: stdout)"
        )

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")(**options)

    def _read(self, file: str):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: không tìm thấy tệp (file not found)", returncode=1)
        try:
            return read_plan_file(path)
        except PlanFileError as exc:
            for problem in exc.problems:
                self.stderr.write(problem.format(file))
            sys.exit(1)

    def handle_validate(self, file: str, json: bool, **_) -> None:
        doc = self._read(file)
        if json:
            self.stdout.write(_dump_json(doc.model_dump(mode="json")))
        else:
            self.stdout.write(
                f"{file}: hợp lệ (valid) — {len(doc.tasks)} nhiệm vụ, "
                f"{sum(len(t.deliverables) for t in doc.tasks)} sản phẩm, "
                f"{len(doc.indicators)} chỉ tiêu"
            )

    def handle_load(self, file: str, verbosity: int, **_) -> None:
        from scpvn.plans.services import load_plan

        report = load_plan(self._read(file))
        if verbosity > 1:
            for line in report.changes:
                self.stdout.write(line)
        self.stdout.write(
            f"{report.plan.code} ({report.plan.slug}): {report.created} tạo mới, {report.updated} cập nhật, "
            f"{report.deleted} xóa" + ("" if report.changed else " (không thay đổi)")
        )

    def handle_export(self, code: str, year: int | None, format: str, out: str | None, **_) -> None:
        from scpvn.plans.models import Plan
        from scpvn.plans.services import export_plan, find_plan

        try:
            plan = find_plan(code, year)
        except (Plan.DoesNotExist, LookupError) as exc:
            raise CommandError(str(exc), returncode=1) from None
        data = export_plan(plan)
        text = _dump_json(data) if format == "json" else _dump_yaml(data)
        self._write(text, out)

    def handle_schema(self, out: str | None, **_) -> None:
        self._write(_dump_json(json_schema()), out)

    def _write(self, text: str, out: str | None) -> None:
        if out:
            Path(out).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")


def _dump_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _dump_yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
