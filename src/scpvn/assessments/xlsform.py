"""Reading an XLSForm: checked cell by cell, compiled to an XForm by pyxform, and mapped onto
the questionnaire engine.

pyxform stops at its first error and does not check the syntax of expressions (ODK Validate,
a Java program, does that in the ODK tools); so the workbook is first read here, every
problem listed with its sheet, row and column, and only a clean workbook goes to pyxform,
whose own refusal is reported with the same position when it gives one.

A form names the place (or enterprise) it is about with a question `place` (`enterprise`)
of type `select_one_from_file places.csv` (`enterprises.csv`): the server attaches that list,
cut to the officer's scope, when the form is downloaded. Every other answering question
becomes a `Question` whose code is its XLSForm name, so indicators read the answers as they
read those typed on a page.
"""

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from pyxform.errors import PyXFormError
from pyxform.parsing.expression import parse_expression
from pyxform.xls2xform import convert

from scpvn.assessments.errors import AssessmentErrorCode
from scpvn.assessments.models import Question

SUBJECT_LISTS = {"place": "places.csv", "enterprise": "enterprises.csv"}
EXPRESSION_COLUMNS = ("relevant", "constraint", "calculation", "choice_filter", "repeat_count")
GROUP_ENDS = {"end_group", "end group", "end_repeat", "end repeat"}
SELECT_TYPE = re.compile(r"^(select_one|select_multiple|select one|select all that apply)\s+(\S+)")
# pyxform's JSON type → the engine's question type.
ENGINE_TYPES = {
    "integer": Question.Type.NUMBER,
    "decimal": Question.Type.NUMBER,
    "range": Question.Type.NUMBER,
    "select one": Question.Type.SINGLE,
    "select all that apply": Question.Type.MULTIPLE,
    "text": Question.Type.TEXT,
    "barcode": Question.Type.TEXT,
    "calculate": Question.Type.TEXT,
    "geopoint": Question.Type.TEXT,
    "geotrace": Question.Type.TEXT,
    "geoshape": Question.Type.TEXT,
    "datetime": Question.Type.TEXT,
    "time": Question.Type.TEXT,
    "date": Question.Type.DATE,
    "photo": Question.Type.PHOTO,
}
# Filled by the device, not answers: the visit's time and device.
METADATA = {"start", "end", "today", "deviceid", "phonenumber", "username", "email", "audit"}
# Questions that hold no value.
NO_VALUE = {"note"}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str
    letter: str = ""

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row:
            where.append(_("dòng %(row)s") % {"row": self.row})
        if self.column:
            cell = f" ({self.letter}{self.row or ''})" if self.letter else ""
            where.append(_("cột %(column)s") % {"column": self.column} + cell)
        return f"{', '.join(where)}: {self.message}"


class XLSFormInvalid(ValidationError):
    """Every problem of a workbook at once (nothing is stored)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(
            [ValidationError(str(p), code=AssessmentErrorCode.FORM_INVALID) for p in problems]
        )
        self.problems = problems


@dataclass
class FieldSpec:
    """One answering question: its engine type, and where its value sits in an instance."""

    code: str
    text: str
    type: str
    path: list[str]
    choices: list[dict[str, str]] = field(default_factory=list)
    required: bool = False
    repeat: bool = False
    unit: str = ""
    # A repeat group's: its questions (code, label) for showing its rows, and where its photo
    # questions and nested repeats sit (paths from the root, as `path`), so each photo is
    # stored with the repeat instance it belongs to.
    columns: list[list[str]] = field(default_factory=list)
    photos: list[list[str]] = field(default_factory=list)
    repeats: list[list[str]] = field(default_factory=list)


@dataclass
class CompiledForm:
    form_id: str
    version: str
    title: str
    subject: str
    description: str
    place_kinds: list[str]
    indicators: list[str]
    xml: str
    fields: list[FieldSpec]
    subject_path: list[str]
    date_path: list[str] | None
    start_path: list[str] | None
    gps_path: list[str] | None

    def mapping(self) -> dict[str, Any]:
        """What a submission needs to be read, stored with the published version."""
        return {
            "subject": self.subject,
            "subject_path": self.subject_path,
            "date_path": self.date_path,
            "start_path": self.start_path,
            "gps_path": self.gps_path,
            "fields": [asdict(f) for f in self.fields],
        }


# ---- the workbook, cell by cell --------------------------------------------------------------


@dataclass
class _Sheet:
    name: str
    columns: dict[str, int]  # lower-cased header → 1-based column index
    rows: list[tuple[int, dict[str, str]]]

    def letter(self, column: str) -> str:
        index = self.columns.get(column)
        return get_column_letter(index) if index else ""


def _read_sheet(book, name: str) -> _Sheet | None:
    sheet = next((book[s] for s in book.sheetnames if s.strip().lower() == name), None)
    if sheet is None:
        return None
    values = list(sheet.iter_rows(values_only=True))
    if not values:
        return _Sheet(name, {}, [])
    columns = {
        str(h).strip().lower(): i + 1 for i, h in enumerate(values[0]) if h not in (None, "")
    }
    rows = []
    for number, row in enumerate(values[1:], start=2):
        cells = {
            header: ("" if row[i - 1] is None else str(row[i - 1]).strip())
            for header, i in columns.items()
            if i - 1 < len(row)
        }
        if any(cells.values()):
            rows.append((number, cells))
    return _Sheet(name, columns, rows)


_OPERAND = {
    "DATETIME",
    "DATE",
    "TIME",
    "NUMBER",
    "PARENT_REF",
    "SELF_REF",
    "SYSTEM_LITERAL",
    "PYXFORM_REF",
    "NAME",
}
_BINARY = {"OPS_MATH", "OPS_COMP", "OPS_BOOL", "OPS_UNION"}
_OPENING = {"OPEN_PAREN": ")", "FUNC_CALL": ")", "XPATH_PRED_START": "]"}
_CLOSING = {"CLOSE_PAREN": ")", "XPATH_PRED_END": "]"}


def expression_problem(text: str) -> str | None:
    """Why an XPath expression of a form cannot be read, or None. A syntax check (operands
    and operators alternate, brackets and quotes close, commas only between a function's
    arguments) on pyxform's own tokens: what ODK Validate would refuse on the device."""
    expecting_operand = True
    stack: list[tuple[str, str]] = []
    previous, previous_value, previous_end = "", "", -1
    for token in parse_expression(text):
        kind, value = token.type, str(token)
        if kind == "WHITESPACE":
            continue
        if (
            kind == "OPS_COMP"
            and value == "="
            and previous == "OPS_COMP"
            and previous_value in ("<", ">")
            and token.start_pos == previous_end
        ):
            continue  # the lexer reads ">=" as ">" and "="
        previous_value, previous_end = value, token.end_pos
        if kind == "NUMBER" and value.startswith("-") and not expecting_operand:
            pass  # "${a}-1": the lexer reads a binary minus and a number as "-1"
        elif kind in _OPERAND:
            if not expecting_operand:
                return _("thiếu toán tử trước “%(token)s”") % {"token": value}
            expecting_operand = False
        elif kind in _BINARY:
            if expecting_operand and value.strip() != "-":
                return _("thiếu toán hạng trước “%(token)s”") % {"token": value.strip()}
            expecting_operand = True
        elif kind == "PATH_SEP":
            expecting_operand = True
        elif kind in _OPENING:
            if not expecting_operand:
                return _("thiếu toán tử trước “%(token)s”") % {"token": value}
            stack.append((kind, _OPENING[kind]))
            expecting_operand = True
        elif kind in _CLOSING:
            if not stack or stack[-1][1] != _CLOSING[kind]:
                return _("dấu “%(token)s” không có dấu mở tương ứng") % {"token": value}
            opened, _closer = stack.pop()
            if expecting_operand and not (opened == "FUNC_CALL" and previous == "FUNC_CALL"):
                return _("thiếu toán hạng trước “%(token)s”") % {"token": value}
            expecting_operand = False
        elif kind == "COMMA":
            if not stack or stack[-1][0] != "FUNC_CALL" or expecting_operand:
                return _("dấu phẩy đặt sai chỗ")
            expecting_operand = True
        else:
            return _("không đọc được “%(token)s”") % {"token": value}
        previous = kind
    if stack:
        return _("thiếu dấu đóng “%(token)s”") % {"token": stack[-1][1]}
    if expecting_operand and previous:
        return _("biểu thức kết thúc giữa chừng")
    return None


def _check_workbook(book) -> list[Problem]:
    problems: list[Problem] = []
    survey = _read_sheet(book, "survey")
    choices = _read_sheet(book, "choices")
    settings = _read_sheet(book, "settings")
    if survey is None:
        return [Problem("survey", None, "", _("thiếu sheet survey"))]
    for column in ("type", "name"):
        if column not in survey.columns:
            problems.append(Problem("survey", 1, column, _("thiếu cột %s") % column))
    if problems:
        return problems

    lists: dict[str, set[str]] = {}
    if choices is not None:
        seen: dict[tuple[str, str], int] = {}
        for number, cells in choices.rows:
            list_name, name = cells.get("list_name", ""), cells.get("name", "")
            if not list_name:
                continue
            if not name:
                problems.append(
                    Problem(
                        "choices", number, "name", _("lựa chọn thiếu tên"), choices.letter("name")
                    )
                )
                continue
            if (list_name, name) in seen:
                problems.append(
                    Problem(
                        "choices",
                        number,
                        "name",
                        _("lựa chọn “%(name)s” của danh sách “%(list)s” trùng với dòng %(row)s")
                        % {"name": name, "list": list_name, "row": seen[(list_name, name)]},
                        choices.letter("name"),
                    )
                )
            seen[(list_name, name)] = number
            lists.setdefault(list_name, set()).add(name)

    names: dict[str, int] = {}
    for number, cells in survey.rows:
        kind, name = cells.get("type", ""), cells.get("name", "")
        if kind.lower() in GROUP_ENDS:
            continue
        if name:
            if name in names:
                problems.append(
                    Problem(
                        "survey",
                        number,
                        "name",
                        _("tên “%(name)s” trùng với dòng %(row)s")
                        % {"name": name, "row": names[name]},
                        survey.letter("name"),
                    )
                )
            else:
                names[name] = number
    subject_rows = {}
    for number, cells in survey.rows:
        kind, name = cells.get("type", ""), cells.get("name", "")
        match = SELECT_TYPE.match(kind)
        if match and match.group(2) not in lists:
            problems.append(
                Problem(
                    "survey",
                    number,
                    "type",
                    _("danh sách lựa chọn “%(list)s” không có trong sheet choices")
                    % {"list": match.group(2)},
                    survey.letter("type"),
                )
            )
        if name in SUBJECT_LISTS:
            subject_rows[name] = (number, kind)
        for column in EXPRESSION_COLUMNS:
            expression = cells.get(column, "")
            if not expression:
                continue
            reason = expression_problem(expression)
            if reason is None:
                unknown = [
                    ref
                    for ref in re.findall(r"\$\{([^}]*)\}", expression)
                    if ref.removeprefix("last-saved#") not in names
                ]
                if unknown:
                    reason = _("không có câu hỏi tên “%(name)s”") % {"name": unknown[0]}
            if reason:
                problems.append(
                    Problem(
                        "survey",
                        number,
                        column,
                        _("biểu thức “%(expr)s” lỗi: %(reason)s")
                        % {"expr": expression, "reason": reason},
                        survey.letter(column),
                    )
                )
    if len(subject_rows) != 1:
        problems.append(
            Problem(
                "survey",
                None,
                "name",
                _(
                    "phiếu phải có đúng một câu hỏi “place” (select_one_from_file places.csv) "
                    "hoặc “enterprise” (select_one_from_file enterprises.csv) nêu nơi được "
                    "kiểm tra"
                ),
            )
        )
    for name, (number, kind) in subject_rows.items():
        wanted = f"select_one_from_file {SUBJECT_LISTS[name]}"
        if " ".join(kind.split()) != wanted:
            problems.append(
                Problem(
                    "survey",
                    number,
                    "type",
                    _("câu hỏi “%(name)s” phải có kiểu “%(type)s”")
                    % {"name": name, "type": wanted},
                    survey.letter("type"),
                )
            )

    settings_row = settings.rows[0] if settings and settings.rows else (2, {})
    for column in ("form_id", "version"):
        value = settings_row[1].get(column, "")
        letter = settings.letter(column) if settings else ""
        if not value:
            problems.append(
                Problem("settings", settings_row[0], column, _("thiếu %s") % column, letter)
            )
        elif column == "form_id" and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]{0,39}", value):
            problems.append(
                Problem(
                    "settings",
                    settings_row[0],
                    column,
                    _("form_id chỉ gồm chữ không dấu, số, “-”, “_”, “.”; tối đa 40 ký tự"),
                    letter,
                )
            )
        elif column == "version" and len(value) > 50:
            problems.append(
                Problem("settings", settings_row[0], column, _("tối đa 50 ký tự"), letter)
            )
    return problems


_PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_PYXFORM_SHEET = re.compile(r"On the '(\w+)' sheet, the '([\w:]+)' value")


def _pyxform_problem(exc: PyXFormError, book) -> Problem:
    """pyxform's refusal with the position it gives (in its context or its message)."""
    message = str(exc)
    context = getattr(exc, "context", None) or {}
    row = context.get("row")
    if row is None and (match := _PYXFORM_ROW.search(message)):
        row = int(match.group(1))
    sheet, column = context.get("sheet"), context.get("column")
    if (sheet is None or column is None) and (match := _PYXFORM_SHEET.search(message)):
        sheet, column = sheet or match.group(1), column or match.group(2)
    sheet = sheet or "survey"
    read = _read_sheet(book, sheet)
    letter = read.letter(column) if read and column else ""
    return Problem(sheet, int(row) if row else None, column or "", message, letter)


# ---- compiled form → engine questions ---------------------------------------------------------


def _label(value: Any, default: str) -> str:
    if isinstance(value, dict):
        return next((str(v) for v in value.values() if v), default)
    return str(value) if value else default


def _walk(children: list[dict], path: list[str], hidden: bool, out: dict[str, Any]) -> None:
    for child in children:
        kind, name = child.get("type", ""), child["name"]
        bind = child.get("bind") or {}
        is_hidden = hidden or bool(bind.get("relevant"))
        here = [*path, name]
        if kind == "group":
            if name != "meta":
                _walk(child.get("children", []), here, is_hidden, out)
            continue
        if kind == "repeat":
            spec = FieldSpec(
                name, _label(child.get("label"), name), Question.Type.TEXT, here, repeat=True
            )
            _walk_repeat(child.get("children", []), here, spec)
            out["fields"].append(spec)
            continue
        if kind in METADATA:
            if kind == "today":
                out["date_path"] = out["date_path"] or here
            if kind == "start":
                out["start_path"] = out["start_path"] or here
            continue
        if kind in NO_VALUE:
            continue
        if name in SUBJECT_LISTS and child.get("itemset") == SUBJECT_LISTS[name]:
            out["subject"], out["subject_path"] = name, here
            continue
        engine = ENGINE_TYPES.get(kind)
        if engine is None:
            out["problems"].append(
                Problem(
                    "survey", None, "type", _("kiểu “%(type)s” chưa được nhận") % {"type": kind}
                )
            )
            continue
        choices = [
            {"value": str(c["name"]), "label": _label(c.get("label"), str(c["name"]))}
            for c in child.get("choices", [])
        ]
        if engine == Question.Type.SINGLE and {c["value"] for c in choices} == {"yes", "no"}:
            engine, choices = Question.Type.YES_NO, []
        if engine in (Question.Type.SINGLE, Question.Type.MULTIPLE) and not choices:
            engine = Question.Type.TEXT  # a list from a file: its value is kept as written
        if kind == "geopoint":
            out["gps_path"] = out["gps_path"] or here
        required = str(bind.get("required", "")).lower() in ("yes", "true", "true()")
        out["fields"].append(
            FieldSpec(
                code=name,
                text=_label(child.get("label"), name),
                type=engine,
                path=here,
                choices=choices,
                required=required and not is_hidden,
                unit=str(child.get("unit") or "")[:30],
            )
        )


def _walk_repeat(children: list[dict], path: list[str], spec: FieldSpec) -> None:
    """What a repeat group holds that the server must know: its direct questions (the keys
    of its rows), and its photos and nested repeats at any depth."""
    for child in children:
        kind, name = child.get("type", ""), child["name"]
        here = [*path, name]
        if kind in ("group", "repeat"):
            if kind == "repeat":
                spec.repeats.append(here)
            _walk_repeat(child.get("children", []), here, spec)
            continue
        if len(here) == len(spec.path) + 1 and kind not in NO_VALUE:
            spec.columns.append([name, _label(child.get("label"), name)])
        if ENGINE_TYPES.get(kind) == Question.Type.PHOTO:
            spec.photos.append(here)


def compile_xlsform(content: bytes) -> CompiledForm:
    """The checked, compiled form; raises XLSFormInvalid listing every problem."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise XLSFormInvalid(
            [Problem("", None, "", _("không đọc được tệp XLSX: %s") % exc)]
        ) from exc
    problems = _check_workbook(book)
    if problems:
        raise XLSFormInvalid(problems)
    try:
        result = convert(content, file_type=".xlsx")
    except PyXFormError as exc:
        raise XLSFormInvalid([_pyxform_problem(exc, book)]) from exc
    data = result._pyxform or {}
    out: dict[str, Any] = {
        "fields": [],
        "problems": [],
        "subject": "",
        "subject_path": [],
        "date_path": None,
        "start_path": None,
        "gps_path": None,
    }
    _walk(data.get("children", []), [], False, out)
    if out["problems"]:
        raise XLSFormInvalid(out["problems"])
    return CompiledForm(
        form_id=str(data["id_string"]),
        version=str(data["version"]),
        title=_label(data.get("title"), str(data["id_string"]))[:255],
        subject=out["subject"],
        description=str(data.get("description") or ""),
        place_kinds=str(data.get("place_kinds") or "").split(),
        indicators=str(data.get("indicators") or "").split(),
        xml=result.xform,
        fields=out["fields"],
        subject_path=out["subject_path"],
        date_path=out["date_path"],
        start_path=out["start_path"],
        gps_path=out["gps_path"],
    )


def field_specs(mapping: dict[str, Any]) -> list[FieldSpec]:
    return [FieldSpec(**f) for f in mapping.get("fields", [])]


def workbook_csv(content: bytes) -> str:
    """A workbook as one CSV in pyxform's own CSV layout: a row naming each sheet, then the
    sheet's rows one column to the right, empty cells at the end of a row left out.

    The shipped forms (`data/*.xlsx`) are committed with this text twin beside them
    (`data/*.csv`) so that a change to a form reads as a diff; `scpvn forms twins` writes it
    and a test checks every twin is its workbook's. pyxform compiles the twin to the same
    XForm, which the test checks as well."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name in book.sheetnames:
        writer.writerow([name])
        for row in book[name].iter_rows(values_only=True):
            cells = ["" if value is None else str(value) for value in row]
            while cells and not cells[-1].strip():
                cells.pop()
            if cells:
                writer.writerow(["", *cells])
    return out.getvalue()
