"""`scpvn report build --plan 96/KH-UBND --period 2020-H1 --format docx --out FILE`."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scpvn.plans.models import Plan
from scpvn.plans.services import find_plan
from scpvn.reports.files import FORMATS, build_file
from scpvn.reports.models import Report
from scpvn.reports.services import duty_for_period, report_period


class Command(BaseCommand):
    help = "Xuất báo cáo định kỳ (build a periodic report as DOCX, PDF or XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["build"])
        parser.add_argument(
            "--plan",
            required=True,
            help="kế hoạch: slug (ha-noi-96-kh-ubnd-2020) hoặc số, ký hiệu (96/KH-UBND)",
        )
        parser.add_argument("--period", required=True, help="2020-H1, 2020, 2020-Q3…")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args, **options) -> None:
        try:  # a slug, or a number (used in one year only)
            plan = find_plan(options["plan"])
        except Plan.DoesNotExist:
            raise CommandError(f"Không có kế hoạch {options['plan']} (plan not found).") from None
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        try:
            period = report_period(options["period"])
            duty = duty_for_period(plan, period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        # The report as written in the app if it exists; otherwise the figures alone.
        report = Report.objects.filter(duty=duty, period=period.code).first() or Report(
            plan=plan, duty=duty, period=period.code
        )
        content, _name, _type = build_file(report, options["format"])
        options["out"].write_bytes(content)
        self.stdout.write(f"{options['out']}: {len(content)} bytes")
