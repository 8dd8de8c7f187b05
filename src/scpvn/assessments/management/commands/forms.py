"""`scpvn forms publish FILE --user NAME`, `scpvn forms close FORM_ID VERSION --user NAME`, and
`scpvn forms build SOURCE.md [OUT.xlsx]` (a shipped form's workbook from its readable source)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scpvn.assessments.models import PublishedForm
from scpvn.assessments.publishing import close_form, publish_form
from scpvn.assessments.xlsform import XLSFormInvalid, xlsx_from_markdown
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
        build = sub.add_parser("build", help="tạo tệp .xlsx từ nguồn Markdown của biểu mẫu")
        build.add_argument("source", type=Path)
        build.add_argument("out", type=Path, nargs="?")

    def handle(self, *args, **options) -> None:
        if options["action"] == "build":
            source: Path = options["source"]
            if not source.is_file():
                raise CommandError(f"{source}: không tìm thấy tệp (file not found)", returncode=1)
            out = options["out"] or source.with_suffix(".xlsx")
            out.write_bytes(xlsx_from_markdown(source.read_text(encoding="utf-8")))
            self.stdout.write(f"Đã tạo {out}")
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
