"""Importing the enterprise registry from an XLSX or CSV file.

Every row is validated before anything is written, so a file either goes in whole or not at
all; every bad row is reported with its row number, column, value and reason. Rows are
upserted by tax code. The write is one transaction of batched upserts, so 100,000 rows go
in within a small multiple of the time it takes just to read the file.
"""

import datetime as dt
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.vn import mst

from scpvn.core.exports import neutralise
from scpvn.core.imports import ImportLimits, TooManyRows, check_import_file, stream_rows
from scpvn.core.indexes import merge_gin_pending_list
from scpvn.core.lookups import present
from scpvn.geo.addresses import AddressPlacer
from scpvn.geo.services import fold
from scpvn.registry.models import Enterprise, ImportJob, ImportProblem, IndustrialZone, VsicCode
from scpvn.registry.signals import registry_changed

HEADERS = (
    "Mã số thuế",
    "Tên doanh nghiệp",
    "Địa chỉ",
    "Quận/Huyện",
    "Phường/Xã",
    "Mã ngành VSIC",
    "Quy mô",
    "KCN/CCN",
    "Loại hình phân phối",
    "Tỉnh/Thành phố",
)
# Files made from the template before the province column was added are still read.
LEGACY_HEADERS = HEADERS[:-1]
REQUIRED = frozenset({"Mã số thuế", "Tên doanh nghiệp", "Mã ngành VSIC"})
TEMPLATE_NOTES = {
    "Phường/Xã": "Phường, xã, đặc khu theo bản đồ từ 1/7/2025 (tên hoặc mã). Tên phường, xã cũ "
    "được chuyển sang đơn vị mới nếu đã nhập toàn bộ vào một đơn vị.",
    "Quận/Huyện": "Chỉ cần cho địa chỉ trước 1/7/2025 (để phân biệt phường, xã cũ trùng tên).",
    "Tỉnh/Thành phố": "Để trống: tỉnh, thành phố của hệ thống.",
    "KCN/CCN": "Tên đầy đủ, tên ngắn (KCN Thăng Long) hoặc mã.",
}
ZONE_ABBREVIATIONS = {
    "khu cong nghiep ": "kcn ",
    "cum cong nghiep ": "ccn ",
    "khu cong nghe cao ": "khu cnc ",
}
ERROR_HEADER = "Lỗi"
BATCH = 2000
UPDATE_FIELDS = [
    "name",
    "address",
    "district",
    "ward",
    "unit",
    "vsic_code",
    "size",
    "industrial_zone",
    "distribution",
]
Progress = Callable[[int, int], None]
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"dòng {self.row}" + (f", cột «{self.column}»" if self.column else "")
        value = f", giá trị «{self.value}»" if self.value else ""
        return f"{where}{value}: {self.reason}"


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


class NotASpreadsheet(Exception):
    pass


# ---- reading -------------------------------------------------------------------------------


# Refusals of the file as a whole that mean "this is not a spreadsheet we read".
NOT_A_SPREADSHEET = frozenset(
    {"file_type", "file_extension", "file_empty", "import_bad_spreadsheet", "import_not_utf8"}
)


def _refusal(exc: DjangoValidationError) -> str:
    message = " ".join(exc.messages)
    if getattr(exc, "code", None) in NOT_A_SPREADSHEET:
        return f"tệp không phải bảng tính XLSX hoặc CSV (UTF-8): {message}"
    return message


def _sheet_rows(path: Path) -> Iterator[tuple]:
    """The rows of an XLSX's first sheet or of a CSV file, streamed, once the file's type
    (by content), size and unpacked size have passed `core.imports`; raises NotASpreadsheet
    with the reason on the first `next()`, TooManyRows past the row limit."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise NotASpreadsheet(f"tệp không đọc được: {exc}") from exc
    with handle:
        try:
            kind = check_import_file(File(handle, name=path.name))
        except DjangoValidationError as exc:
            raise NotASpreadsheet(_refusal(exc)) from exc
        try:
            yield from stream_rows(handle, kind)
        except TooManyRows:
            raise
        except DjangoValidationError as exc:
            raise NotASpreadsheet(_refusal(exc)) from exc


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# ---- lookups built once per import ---------------------------------------------------------


class _Lookups:
    def __init__(self) -> None:
        self.places = AddressPlacer()
        self.vsic = set(VsicCode.objects.values_list("code", flat=True))
        self.zones = _zone_index()
        self.sizes = _choice_index(Enterprise.Size)
        self.distribution = _choice_index(Enterprise.Distribution)
        with translation.override("vi"):
            self.allowed = {
                "Quy mô": ", ".join(str(label) for _v, label in Enterprise.Size.choices),
                "Loại hình phân phối": ", ".join(
                    str(label) for _v, label in Enterprise.Distribution.choices
                ),
            }


def _zone_index() -> dict[str, int]:
    """Every way a zone is commonly written → its id: its code, its full name, the name with
    "Khu công nghiệp"/"Cụm công nghiệp" shortened to KCN/CCN ("KCN Thăng Long"), and the bare
    name when no other zone shares it."""
    index: dict[str, int] = {}
    bare: dict[str, set[int]] = {}
    for zone_id, code, name in IndustrialZone.objects.values_list("id", "code", "name"):
        full = fold(name)
        index[fold(code)] = index[full] = zone_id
        for long, short in ZONE_ABBREVIATIONS.items():
            if full.startswith(long):
                index[short + full[len(long) :]] = zone_id
                bare.setdefault(full[len(long) :], set()).add(zone_id)
    for name, ids in bare.items():
        if len(ids) == 1:
            index.setdefault(name, next(iter(ids)))
    return index


def _choice_index(choices) -> dict[str, str]:
    """Accept a choice by its Vietnamese (or English) label or its stored value, without
    diacritics, whatever language the request or command runs in."""
    index = {}
    for language in ("en", "vi"):
        with translation.override(language):
            for value, label in choices.choices:
                index[fold(str(label))] = value
                index[fold(value)] = value
    return index


# ---- validation ----------------------------------------------------------------------------


def _check_headers(header: tuple) -> list[Problem]:
    found = [_text(v) for v in header]
    while found and not found[-1]:
        found.pop()
    if tuple(found) in (HEADERS, LEGACY_HEADERS):
        return []
    problems = [
        Problem(1, expected, got, f"tiêu đề cột {i + 1} phải là «{expected}»")
        for i, (expected, got) in enumerate(
            zip(HEADERS, [*found, *[""] * len(HEADERS)], strict=False)
        )
        if got != expected
    ]
    if len(found) > len(HEADERS):
        problems.append(Problem(1, "", found[len(HEADERS)], "thừa cột so với mẫu"))
    return problems


def _validate_row(
    number: int, values: list[str], lookups: _Lookups, seen: dict[str, int]
) -> tuple[dict | None, list[Problem]]:
    cells = dict(zip(HEADERS, values, strict=True))
    problems = [
        Problem(number, column, "", "ô bắt buộc đang để trống")
        for column in HEADERS
        if column in REQUIRED and not cells[column]
    ]
    record: dict[str, Any] = {"name": cells["Tên doanh nghiệp"], "address": cells["Địa chỉ"]}

    raw_tax = cells["Mã số thuế"]
    if raw_tax:
        if raw_tax.isdigit() and len(raw_tax) < 10:
            raw_tax = raw_tax.zfill(10)  # a number cell loses the leading zero
        try:
            tax_code = mst.validate(raw_tax)  # compact: digits only
            if len(tax_code) == 13:  # a branch: 0123456789-001 (a head office's is as is)
                tax_code = mst.format(tax_code)
        except InvalidChecksum:
            problems.append(Problem(number, "Mã số thuế", raw_tax, "sai chữ số kiểm tra"))
        except ValidationError:
            problems.append(
                Problem(
                    number,
                    "Mã số thuế",
                    raw_tax,
                    "phải gồm 10 chữ số, hoặc 13 chữ số với hậu tố chi nhánh (0123456789-001)",
                )
            )
        else:
            if tax_code in seen:
                problems.append(
                    Problem(
                        number, "Mã số thuế", raw_tax, f"trùng với dòng {seen[tax_code]} trong tệp"
                    )
                )
            else:
                seen[tax_code] = number
                record["tax_code"] = tax_code

    problems.extend(_place(number, cells, lookups.places, record))

    vsic = cells["Mã ngành VSIC"].upper()
    if vsic:
        if vsic in lookups.vsic:
            record["vsic_code"] = vsic
        else:
            problems.append(
                Problem(number, "Mã ngành VSIC", vsic, "không có mã này trong VSIC 2018")
            )

    for column, index, key in (
        ("Quy mô", lookups.sizes, "size"),
        ("Loại hình phân phối", lookups.distribution, "distribution"),
    ):
        record[key] = ""
        if cells[column]:
            record[key] = index.get(fold(cells[column]), "")
            if not record[key]:
                problems.append(
                    Problem(
                        number,
                        column,
                        cells[column],
                        f"giá trị không hợp lệ (chọn: {lookups.allowed[column]})",
                    )
                )
    record["industrial_zone_id"] = None
    if cells["KCN/CCN"]:
        record["industrial_zone_id"] = lookups.zones.get(fold(cells["KCN/CCN"]))
        if record["industrial_zone_id"] is None:
            problems.append(
                Problem(number, "KCN/CCN", cells["KCN/CCN"], "không có khu, cụm công nghiệp này")
            )
    return (None if problems else record), problems


def _place(number: int, cells: dict, places: AddressPlacer, record: dict) -> list[Problem]:
    """Put the row on today's map: its ward (converted from an old address when the old
    commune went whole into one new one), the old district if it named one, and the unit."""
    if not places.province_ok(cells["Tỉnh/Thành phố"]):
        name = places.province.name if places.province else ""
        return [
            Problem(
                number,
                "Tỉnh/Thành phố",
                cells["Tỉnh/Thành phố"],
                f"hệ thống này quản lý {name}, không phải tỉnh, thành phố này",
            )
        ]
    if not cells["Phường/Xã"] and not cells["Quận/Huyện"]:
        return [
            Problem(number, "Phường/Xã", "", "ghi phường, xã (hoặc quận, huyện nếu trước 1/7/2025)")
        ]
    placement = places.place(cells["Phường/Xã"], cells["Quận/Huyện"])
    if placement.problem:
        column = "Quận/Huyện" if placement.column == "district" else "Phường/Xã"
        return [Problem(number, column, cells[column], placement.problem)]
    record["district_id"] = placement.district.pk if placement.district else None
    record["ward_id"] = placement.ward.pk if placement.ward else None
    record["unit_id"] = placement.unit_id
    return []


def validate_file(path: Path, progress: Progress | None = None) -> tuple[list[dict], list[Problem]]:
    """Every row of the file checked, up to the row and problem limits; (valid records,
    problems). Nothing is written."""
    limits = ImportLimits.current()
    rows = _sheet_rows(path)
    try:
        header = next(rows, ())
    except NotASpreadsheet as exc:
        return [], [Problem(0, "", "", str(exc))]
    problems = _check_headers(header)
    if problems:
        return [], problems
    lookups = _Lookups()
    records: list[dict] = []
    seen: dict[str, int] = {}
    number = 1
    try:
        for number, row in enumerate(rows, start=2):
            values = [_text(v) for v in row[: len(HEADERS)]]
            if not any(values):
                continue
            values += [""] * (len(HEADERS) - len(values))
            record, row_problems = _validate_row(number, values, lookups, seen)
            if record is not None:
                records.append(record)
            problems.extend(row_problems)
            if len(problems) >= limits.max_problems:
                del problems[limits.max_problems :]
                problems.append(
                    Problem(
                        number,
                        "",
                        "",
                        f"dừng kiểm tra sau {limits.max_problems} lỗi; "
                        "hãy sửa các lỗi này rồi nhập lại",
                    )
                )
                break
            if progress and number % BATCH == 0:
                progress(number, number + BATCH)
    except TooManyRows as exc:
        problems.append(Problem(number, "", "", " ".join(exc.messages)))
    except NotASpreadsheet as exc:
        problems.append(Problem(number, "", "", str(exc)))
    if progress:
        progress(number, number)
    return records, problems


# ---- writing -------------------------------------------------------------------------------


def _existing_tax_codes(tax_codes: list[str]) -> set[str]:
    return present(Enterprise.objects.all(), "tax_code", tax_codes)


def _upsert(records: list[dict]) -> None:
    """`INSERT … ON CONFLICT (tax_code) DO UPDATE` of the records, what
    `bulk_create(update_conflicts=True)` writes, without building a model and compiling SQL
    per row and batch, which cost as much as reading the file: one prepared statement on
    SQLite; on PostgreSQL, where executemany binds every row's values in Python, a COPY into
    a temporary table and one `INSERT … SELECT`. Columns a record does not name get the
    field's default, as bulk_create would give them."""
    fields = [f for f in Enterprise._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    updated = sorted(Enterprise._meta.get_field(name).column for name in UPDATE_FIELDS)
    insert = f"INSERT INTO {quote(Enterprise._meta.db_table)} ({columns})"
    on_conflict = (
        f"ON CONFLICT ({quote(Enterprise._meta.get_field('tax_code').column)}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in updated)
    )
    defaults = {
        f.attname: f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.attname not in records[0]
    }
    names = [f.attname for f in fields]
    rows = [[r[n] if n in r else defaults[n] for n in names] for r in records]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            values = f"VALUES ({', '.join(['%s'] * len(fields))})"
            cursor.executemany(f"{insert} {values} {on_conflict}", rows)
            return
        staging = quote("scpvn_import_enterprise")
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        table = quote(Enterprise._meta.db_table)
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {columns} FROM {table} LIMIT 0")
        with cursor.cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"{insert} SELECT {columns} FROM {staging} {on_conflict}")
        cursor.execute(f"DROP TABLE {staging}")
    merge_name_trigrams()


def merge_name_trigrams() -> None:
    """After a bulk write, merge the pending list of the search's trigram index (migration
    0013; `core.indexes` says why). With `fastupdate` off, inserting 45,000 names took eight
    times as long (14.6 s instead of 1.7 s), so an import merges the list once at its end."""
    merge_gin_pending_list("registry_enterprise_name_trgm")


def write_records(records: list[dict]) -> tuple[int, int]:
    """Upsert validated records by tax code in one transaction; (created, updated)."""
    with transaction.atomic():
        existing = _existing_tax_codes([r["tax_code"] for r in records])
        if records:
            _upsert(records)
        registry_changed.send(sender=Enterprise)
    return len(records) - len(existing), len(existing)


def import_file(
    path: Path, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Validate the whole file, then (unless a dry run or any row is bad) write it."""
    records, problems = validate_file(path, progress)
    result = ImportResult(rows=len(records), problems=problems, dry_run=dry_run)
    if problems:
        return result
    if dry_run:
        existing = _existing_tax_codes([r["tax_code"] for r in records])
        result.created, result.updated = len(records) - len(existing), len(existing)
    else:
        result.created, result.updated = write_records(records)
    return result


def run_import_job(job: ImportJob) -> ImportJob:
    """Run an uploaded import, recording progress on the job so the page can show it. A job
    that crashes (out of memory, a lost file…) is marked failed with the reason, never left
    "validating"; running it again starts from scratch."""
    jobs = ImportJob.objects.filter(pk=job.pk)
    job.problem_rows.all().delete()
    jobs.update(
        status=ImportJob.Status.VALIDATING,
        failure="",
        processed_rows=0,
        total_rows=0,
        created_count=0,
        updated_count=0,
        heartbeat_at=timezone.now(),
        finished_at=None,
    )
    try:
        created, updated, problems = _run(job, jobs)
    except Exception as exc:  # anything: the job must not stay "validating" for ever
        logger.exception("import job %s crashed", job.pk)
        jobs.update(
            status=ImportJob.Status.FAILED,
            failure=f"{type(exc).__name__}: {exc}"[:1000],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    ImportProblem.objects.bulk_create(
        (ImportProblem(job_id=job.pk, **_problem_fields(p)) for p in problems), batch_size=BATCH
    )
    jobs.update(
        status=ImportJob.Status.FAILED if problems else ImportJob.Status.DONE,
        created_count=created,
        updated_count=updated,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _run(job: ImportJob, jobs) -> tuple[int, int, list[Problem]]:
    def progress(done: int, total: int) -> None:
        jobs.update(processed_rows=done, total_rows=total, heartbeat_at=timezone.now())

    records, problems = validate_file(Path(job.file.path), progress)
    created = updated = 0
    if not problems:
        jobs.update(status=ImportJob.Status.WRITING, heartbeat_at=timezone.now())
        if job.dry_run:
            existing = _existing_tax_codes([r["tax_code"] for r in records])
            created, updated = len(records) - len(existing), len(existing)
        else:
            created, updated = write_records(records)
    return created, updated, problems


def _problem_fields(problem: Problem) -> dict:
    return {
        "row": problem.row,
        "column": problem.column[:100],
        "value": problem.value[:500],
        "reason": problem.reason[:1000],
    }


def mark_stale_jobs() -> int:
    """Fail jobs still running after SCPVN_IMPORT_STALE_SECONDS without a sign of life (their
    process died); the number failed."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.SCPVN_IMPORT_STALE_SECONDS)
    return (
        ImportJob.objects.filter(status__in=[ImportJob.Status.VALIDATING, ImportJob.Status.WRITING])
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff))
        .update(
            status=ImportJob.Status.FAILED,
            failure="quá thời gian mà không có tiến triển: tiến trình nhập đã dừng",
            finished_at=timezone.now(),
        )
    )


# ---- files for people ----------------------------------------------------------------------


def template_workbook() -> bytes:
    """The import template: the headers (with a note on the address columns) and
    text-formatted columns, so codes keep their leading zeros."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Doanh nghiệp"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        if cell.value in TEMPLATE_NOTES:
            cell.comment = Comment(TEMPLATE_NOTES[cell.value], "scpvn")
    for index in range(1, len(HEADERS) + 1):
        column = get_column_letter(index)
        sheet.column_dimensions[column].width = 24
        sheet.column_dimensions[column].number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def annotated_errors(path: Path, problems: list[Problem]) -> bytes:
    """The bad rows of the file with an extra «Lỗi» column and each bad cell marked red."""
    by_row: dict[int, list[Problem]] = {}
    for problem in problems:
        by_row.setdefault(problem.row, []).append(problem)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Lỗi")
    sheet.append(["Dòng", *HEADERS, ERROR_HEADER])
    red = PatternFill("solid", fgColor="FFC7CE")
    last = max(by_row, default=0)
    try:
        for number, row in enumerate(_sheet_rows(path), start=1):
            if number > last:
                break
            if number not in by_row:
                continue
            row_problems = by_row.pop(number)
            bad_columns = {p.column: p.reason for p in row_problems}
            cells: list[Any] = [number]
            for column, value in zip(HEADERS, [*row, *[None] * len(HEADERS)], strict=False):
                cell = WriteOnlyCell(sheet, value=neutralise(_text(value)))
                if column in bad_columns:
                    cell.fill = red
                    cell.comment = Comment(bad_columns[column], "scpvn")
                cells.append(cell)
            cells.append(neutralise("; ".join(p.reason for p in row_problems)))
            sheet.append(cells)
    except (NotASpreadsheet, TooManyRows):
        pass  # the rows read so far are annotated; the rest stay listed below
    for number, row_problems in sorted(by_row.items()):  # file-level problems
        sheet.append(
            [number, *[""] * len(HEADERS), neutralise("; ".join(str(p) for p in row_problems))]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
