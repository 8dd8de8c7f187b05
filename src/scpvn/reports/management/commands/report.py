"""`scpvn report build --plan 96/KH-UBND --period 2020-H1 --format docx --out FILE`;
`scpvn report issue --plan … --period … --user lanhdao.sct --key FILE.p12 --pin … --out FILE`
signs and issues an approved report; `scpvn report keys --out DIR` makes throwaway keys to
try it with."""

import shlex
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scpvn.orgs.models import Agency, User
from scpvn.plans.models import Plan
from scpvn.plans.services import find_plan
from scpvn.reports.demo_keys import write_demo_keys
from scpvn.reports.files import FORMATS, build_file
from scpvn.reports.issuing import issue_document
from scpvn.reports.keys import Pkcs12Key
from scpvn.reports.models import Report
from scpvn.reports.services import duty_for_period, report_period


class Command(BaseCommand):
    help = "Xuất báo cáo định kỳ (build a periodic report as DOCX, PDF or XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["build", "issue", "keys"])
        parser.add_argument(
            "--plan",
            help="kế hoạch: slug (ha-noi-96-kh-ubnd-2020) hoặc số, ký hiệu (96/KH-UBND)",
        )
        parser.add_argument("--period", help="2020-H1, 2020, 2020-Q3…")
        parser.add_argument("--format", choices=sorted(FORMATS), default="pdf")
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--user", help="issue: người ký phát hành (tên đăng nhập)")
        parser.add_argument("--key", type=Path, help="issue: tệp khóa PKCS#12 của người ký")
        parser.add_argument("--pin", default="", help="issue: mật khẩu tệp khóa")
        parser.add_argument("--agency", default="SCT", help="keys: mã cơ quan")

    def handle(self, *args, **options) -> None:
        if options["action"] == "keys":
            return self.keys(options)
        if not options["plan"] or not options["period"]:
            raise CommandError("Cần --plan và --period (--plan and --period are required).")
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
        if options["action"] == "issue":
            return self.issue(report, options)
        content, _name, _type = build_file(report, options["format"])
        options["out"].write_bytes(content)
        self.stdout.write(f"{options['out']}: {len(content)} bytes")

    def issue(self, report: Report, options: dict) -> None:
        user = User.objects.filter(username=options["user"] or "").first()
        if user is None or options["key"] is None or report.pk is None:
            raise CommandError("Cần --user, --key và một báo cáo đã có (user, key, report).")
        key = Pkcs12Key(options["key"].read_bytes(), options["pin"])
        try:
            entry = issue_document(user, report, key)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        options["out"].write_bytes(bytes(entry.pdf))
        self.stdout.write(f"{entry.code} {entry.issued_on:%d/%m/%Y}: {options['out']}")

    def keys(self, options: dict) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        name = agency.name if agency else options["agency"]
        made = write_demo_keys(options["out"], options["agency"], name, "Người ký thử nghiệm")
        self.stdout.write("Khóa thử nghiệm (throwaway keys; not for real documents):")
        for setting in ("SCPVN_SIGN_TRUST_ROOTS", "SCPVN_AGENCY_SIGNERS"):
            self.stdout.write(f"export {setting}={shlex.quote(made[setting])}")
        self.stdout.write(f"# người ký: {made['person_key']} (PIN {made['pin']})")
