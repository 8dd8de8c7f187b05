"""`scpvn forms publish FILE --user NAME`, `scpvn forms close FORM_ID VERSION --user NAME`, and
`scpvn forms twins [--check]`: the readable CSV twin of each shipped workbook."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scpvn.assessments.models import PublishedForm
from scpvn.assessments.publishing import close_form, publish_form
from scpvn.assessments.services import DATA_DIR
from scpvn.assessments.xlsform import XLSFormInvalid, workbook_csv
from scpvn.core.refusals import refusal_text


class Command(BaseCommand):
    help = "Biểu mẫu XLSForm: ban hành, ngừng nhận (publish and close XLSForms)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        publish = sub.add_parser("publish", help="ban hành một tệp XLSForm .xlsx")
        publish.add_argument("file", type=Path)
        publish.add_argument("--user", required=True, help="người ban hành (tên đăng nhập)")
        close = sub.add_parser("close", help="ngừng nhận bản gửi của một phiên bản")
        close.add_argument("form_id")
        close.add_argument("version")
        close.add_argument("--user", required=True, help="người thực hiện (tên đăng nhập)")
        twins = sub.add_parser(
            "twins", help="viết bản CSV đọc được của mỗi phiếu gửi kèm (data/*.xlsx → *.csv)"
        )
        twins.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi")

    def handle(self, *args, **options) -> None:
        if options["action"] == "twins":
            self._twins(options["check"])
            return
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(
                f"không có người dùng {options['user']} (unknown user)", returncode=1
            )
        try:
            if options["action"] == "close":
                form = PublishedForm.objects.filter(
                    form_id=options["form_id"], version=options["version"]
                ).first()
                if form is None:
                    raise CommandError("không có biểu mẫu này (unknown form)", returncode=1)
                close_form(user, form)
                self.stdout.write(f"Đã ngừng nhận {form}")
                return
            self._publish(user, options["file"])
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(refusal_text(exc), returncode=1) from exc

    def _publish(self, user, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: không tìm thấy tệp (file not found)", returncode=1)
        with path.open("rb") as handle:
            try:
                form = publish_form(user, File(handle, name=path.name))
            except XLSFormInvalid as exc:
                for problem in exc.problems:
                    self.stderr.write(f"{path}: {problem}")
                raise CommandError(
                    f"{len(exc.problems)} lỗi; không ban hành (nothing published)", returncode=1
                ) from exc
        self.stdout.write(
            f"Đã ban hành {form.form_id} phiên bản {form.version} "
            f"({form.questionnaire.questions.count()} câu hỏi)"
        )

    def _twins(self, check: bool) -> None:
        stale = []
        for workbook in sorted(DATA_DIR.glob("*.xlsx")):
            twin = workbook.with_suffix(".csv")
            text = workbook_csv(workbook.read_bytes())
            if twin.is_file() and twin.read_text(encoding="utf-8") == text:
                continue
            stale.append(twin)
            if not check:
                twin.write_text(text, encoding="utf-8")
                self.stdout.write(f"{twin.name} ← {workbook.name}")
        for twin in sorted(
            set(DATA_DIR.glob("*.csv")) - {w.with_suffix(".csv") for w in DATA_DIR.glob("*.xlsx")}
        ):
            stale.append(twin)
            if not check:
                twin.unlink()
                self.stdout.write(f"{twin.name} xoá (không còn tệp .xlsx)")
        if check and stale:
            raise CommandError(
                "bản CSV không khớp tệp XLSForm (twin out of date): "
                + ", ".join(t.name for t in stale),
                returncode=1,
            )
