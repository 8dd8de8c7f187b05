"""Reading an uploaded spreadsheet without letting it sink the server.

A 240 KB XLSX can hold 68 MB of XML and 750,000 rows; read whole, it took a web process to
2.7 GB. Every import (registry, sign-in sheets, trace CSV) therefore goes through here: the
file's type is judged by its content (`core.files`), its size and, for an XLSX, the declared
*and* actual unpacked size of its zip members are checked before openpyxl opens it, rows are
streamed (openpyxl read-only, CSV line by line) and reading stops at a row limit. The limits
are settings so a province with bigger files can raise them.
"""

import codecs
import csv
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from scpvn.core.files import validate_upload

SPREADSHEETS = frozenset({"xlsx", "csv"})
CHUNK = 64 * 1024


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int
    max_unpacked_bytes: int
    max_rows: int
    max_problems: int

    @classmethod
    def current(cls) -> "ImportLimits":
        return cls(
            max_bytes=settings.SCPVN_IMPORT_MAX_BYTES,
            max_unpacked_bytes=settings.SCPVN_IMPORT_MAX_UNPACKED_BYTES,
            max_rows=settings.SCPVN_IMPORT_MAX_ROWS,
            max_problems=settings.SCPVN_IMPORT_MAX_PROBLEMS,
        )


class TooManyRows(ValidationError):
    """Raised while streaming, once the file has more data rows than the limit."""

    def __init__(self, limit: int):
        super().__init__(
            _("Tệp có quá %(n)s dòng; hãy chia thành nhiều tệp nhỏ hơn.") % {"n": limit},
            code="import_too_many_rows",
        )
        self.limit = limit


def check_import_file(file: File, kinds: Iterable[str] = SPREADSHEETS) -> str:
    """The kind of an uploaded import file, once its content, name, size and unpacked size
    are acceptable; ValidationError (with a stable code) otherwise."""
    limits = ImportLimits.current()
    kind = validate_upload(file, kinds, limits.max_bytes)
    if kind == "xlsx":
        check_unpacked_size(file, limits.max_unpacked_bytes)
    return kind


def check_unpacked_size(file: IO[bytes] | File, limit: int) -> None:
    """Refuse a zip whose members unpack to more than `limit` bytes: first by what the zip
    declares, then by actually inflating each member up to the limit (a forged directory
    cannot hide a bomb). Nothing is kept in memory beyond one chunk."""
    too_big = ValidationError(
        _("Tệp giải nén ra quá %(limit)s; hãy chia thành nhiều tệp nhỏ hơn.")
        % {"limit": filesizeformat(limit)},
        code="import_unpacked_too_large",
    )
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > limit:
                raise too_big
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ValidationError(_("Tệp XLSX bị hỏng."), code="import_bad_spreadsheet") from exc
    finally:
        file.seek(0)


def stream_rows(file: IO[bytes], kind: str, max_rows: int | None = None) -> Iterator[tuple]:
    """The first sheet's rows (header included) as tuples, read one at a time; raises
    TooManyRows once more than `max_rows` rows after the header have been read."""
    limit = ImportLimits.current().max_rows if max_rows is None else max_rows
    file.seek(0)
    if kind == "xlsx":
        try:
            workbook = load_workbook(file, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ValidationError(
                _("Tệp không phải bảng tính XLSX hợp lệ."), code="import_bad_spreadsheet"
            ) from exc
        rows: Iterator[tuple] = workbook.worksheets[0].iter_rows(values_only=True)
    else:
        rows = _csv_rows(file)
    for number, row in enumerate(rows):
        if number > limit:
            raise TooManyRows(limit)
        yield row


def _csv_rows(file: IO[bytes]) -> Iterator[tuple]:
    """A UTF-8 CSV (`,`, `;` or tab, guessed from the first line) decoded as it is read."""
    reader = codecs.getreader("utf-8-sig")(file, errors="strict")
    lines = _lines(reader)
    try:
        first = next(lines)
    except StopIteration:
        return
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Tệp CSV phải lưu dạng UTF-8."), code="import_not_utf8") from exc
    delimiter = max(",;\t", key=first.count)

    def all_lines() -> Iterator[str]:
        yield first
        try:
            yield from lines
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _("Tệp CSV phải lưu dạng UTF-8."), code="import_not_utf8"
            ) from exc

    for row in csv.reader(all_lines(), delimiter=delimiter):
        yield tuple(row)


def _lines(reader: Any) -> Iterator[str]:
    while line := reader.readline():
        yield line
