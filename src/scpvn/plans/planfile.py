"""Reading a plan file: bytes → YAML with line numbers → `PlanDocument`, every problem
reported with the file, the line, the path and the reason in Vietnamese and English.

Nothing here touches the database, so `scpvn plan validate` runs anywhere.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from scpvn.plans.methods import check_method_params
from scpvn.plans.schema import PlanDocument

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: Path_
    vi: str
    en: str
    line: int | None = None

    @property
    def dotted(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out or "(gốc)"

    def format(self, filename: str) -> str:
        where = f"{filename}:{self.line}" if self.line else filename
        return f"{where}: {self.dotted}: {self.vi} ({self.en})"


class PlanFileError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


# pydantic error type → (Vietnamese, English); {…} filled from the error's context.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("thiếu trường bắt buộc", "required field is missing"),
    "extra_forbidden": ("trường không được phép", "unknown field"),
    "string_type": ("phải là chuỗi văn bản", "must be a string"),
    "string_too_short": ("không được để trống", "must not be empty"),
    "string_too_long": ("quá dài (tối đa {max_length} ký tự)", "too long (max {max_length})"),
    "string_pattern_mismatch": ("sai định dạng (cần khớp {pattern})", "must match {pattern}"),
    "int_type": ("phải là số nguyên", "must be an integer"),
    "int_parsing": ("phải là số nguyên", "must be an integer"),
    "int_from_float": ("phải là số nguyên", "must be an integer"),
    "number_type": ("phải là số", "must be a number"),
    "negative_number": ("không được âm", "must not be negative"),
    "greater_than": ("phải lớn hơn {gt}", "must be greater than {gt}"),
    "date_type": ("phải là ngày dạng YYYY-MM-DD", "must be a date YYYY-MM-DD"),
    "date_parsing": ("phải là ngày dạng YYYY-MM-DD", "must be a date YYYY-MM-DD"),
    "date_from_datetime_parsing": ("phải là ngày dạng YYYY-MM-DD", "must be a date YYYY-MM-DD"),
    "literal_error": ("phải là một trong: {expected}", "must be one of: {expected}"),
    "list_type": ("phải là danh sách", "must be a list"),
    "dict_type": ("phải là bảng khóa–giá trị", "must be a mapping"),
    "model_type": ("phải là bảng khóa–giá trị", "must be a mapping"),
    "model_attributes_type": ("phải là bảng khóa–giá trị", "must be a mapping"),
    "bool_type": ("phải là true hoặc false", "must be true or false"),
    "bool_parsing": ("phải là true hoặc false", "must be true or false"),
    "too_short": ("phải có ít nhất {min_length} mục", "must have at least {min_length} item(s)"),
}


def read_plan_file(path: Path | str) -> PlanDocument:
    """Parse and validate; raise `PlanFileError` with every problem found."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanFileError(
            [
                Problem(
                    (),
                    f"tệp không phải UTF-8 (byte 0x{raw[exc.start]:02x})",
                    "file is not UTF-8",
                    line,
                )
            ]
        ) from None
    return parse_plan_text(text)


def parse_plan_text(text: str) -> PlanDocument:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise PlanFileError(
            [
                Problem(
                    (),
                    f"lỗi cú pháp YAML: {reason}",
                    "YAML syntax error",
                    mark.line + 1 if mark else None,
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise PlanFileError(
            [Problem((), "tệp phải là một bảng khóa–giá trị", "must be a mapping", 1)]
        )
    lines = dict(_line_map(node)) if node is not None else {}
    try:
        doc = PlanDocument.model_validate(data)
    except ValidationError as exc:
        raise PlanFileError(_with_lines(_from_pydantic(exc, data), lines)) from None
    problems = check_references(doc)
    if problems:
        raise PlanFileError(_with_lines(problems, lines))
    return doc


def check_references(doc: PlanDocument) -> list[Problem]:
    """Rules across the document: unique codes, known agencies and groups, sane windows."""
    problems: list[Problem] = []

    def duplicates(items: list, key: str, where: str) -> None:
        counts = Counter(getattr(item, key) for item in items)
        for i, item in enumerate(items):
            if counts[getattr(item, key)] > 1:
                problems.append(
                    Problem(
                        (where, i, key),
                        f"trùng lặp: {getattr(item, key)} xuất hiện {counts[getattr(item, key)]} lần",
                        "duplicate",
                    )
                )

    duplicates(doc.agencies, "code", "agencies")
    duplicates(doc.objectives, "number", "objectives")
    duplicates(doc.indicators, "code", "indicators")
    duplicates(doc.groups, "number", "groups")
    duplicates(doc.tasks, "number", "tasks")
    duplicates(doc.reporting, "code", "reporting")
    deliverables = [d for t in doc.tasks for d in t.deliverables]
    seen: Counter = Counter(d.code for d in deliverables)

    agencies = {a.code for a in doc.agencies}

    def known(code: str | None, path: Path_) -> None:
        if code is not None and code not in agencies:
            problems.append(
                Problem(path, f"mã cơ quan không có trong agencies: {code}", "unknown agency code")
            )

    for where, value in (("code", doc.code), ("issued", doc.issued)):
        if value is None and doc.complete:
            problems.append(
                Problem(
                    (where,),
                    "chỉ được để trống khi văn bản không tìm thấy đầy đủ (complete: false)",
                    "may be null only when the text was not found whole (complete: false)",
                )
            )
    if doc.slug is None:
        problems.append(
            Problem(("slug",), "thiếu số, ký hiệu: phải ghi slug", "no number: give a slug")
        )
    if doc.complete:
        for where, value in (
            ("funding", doc.funding),
            ("groups", doc.groups),
            ("tasks", doc.tasks),
        ):
            if not value:
                problems.append(
                    Problem(
                        (where,),
                        "thiếu trường bắt buộc (hoặc ghi complete: false và nêu trong missing)",
                        "required field is missing (or set complete: false and list it in missing)",
                    )
                )
    elif not doc.missing:
        problems.append(
            Problem(
                ("complete",),
                "văn bản không đầy đủ: ghi rõ phần còn thiếu trong missing",
                "incomplete text: say what is missing under missing",
            )
        )
    for i, entry in enumerate(doc.agencies):
        if entry.code in entry.replaces:
            problems.append(
                Problem(
                    ("agencies", i, "replaces"),
                    "cơ quan không thể thay thế chính nó",
                    "an agency cannot replace itself",
                )
            )
    if doc.period.end < doc.period.start:
        problems.append(
            Problem(("period", "end"), "ngày kết thúc trước ngày bắt đầu", "end is before start")
        )
    groups = {g.number for g in doc.groups}
    period_start = doc.period.start.strftime("%Y-%m")
    period_end = doc.period.end.strftime("%Y-%m")
    for i, task in enumerate(doc.tasks):
        known(task.lead, ("tasks", i, "lead"))
        for j, code in enumerate(task.partners):
            known(code, ("tasks", i, "partners", j))
        if task.group not in groups:
            problems.append(
                Problem(("tasks", i, "group"), f"không có nhóm số {task.group}", "unknown group")
            )
        if task.end < task.start:
            problems.append(
                Problem(
                    ("tasks", i, "end"), "tháng kết thúc trước tháng bắt đầu", "end is before start"
                )
            )
        elif task.start < period_start or task.end > period_end:
            problems.append(
                Problem(
                    ("tasks", i, "start"),
                    "thời gian thực hiện nằm ngoài thời kỳ của kế hoạch",
                    "window outside the plan period",
                )
            )
        for j, deliverable in enumerate(task.deliverables):
            if seen[deliverable.code] > 1:
                problems.append(
                    Problem(
                        ("tasks", i, "deliverables", j, "code"),
                        f"trùng mã sản phẩm: {deliverable.code}",
                        "duplicate deliverable code",
                    )
                )
    codes = {ind.code for ind in doc.indicators}
    parents = {c.rsplit(".", 1)[0] for c in codes if "." in c} & codes
    for i, ind in enumerate(doc.indicators):
        known(ind.lead, ("indicators", i, "lead"))
        if ind.target is not None and (ind.target_min is not None or ind.target_max is not None):
            problems.append(
                Problem(
                    ("indicators", i, "target"),
                    "ghi target hoặc khoảng target_min–target_max, không ghi cả hai",
                    "give target or the range target_min–target_max, not both",
                )
            )
        if (ind.target_min is None) != (ind.target_max is None):
            missing_end = "target_max" if ind.target_max is None else "target_min"
            problems.append(
                Problem(
                    ("indicators", i, missing_end),
                    "khoảng mục tiêu thiếu một đầu",
                    "a target range needs both ends",
                )
            )
        elif ind.target_min is not None and ind.target_min > ind.target_max:
            problems.append(
                Problem(
                    ("indicators", i, "target_max"),
                    f"khoảng mục tiêu ngược: {ind.target_min}–{ind.target_max}",
                    "range ends are reversed",
                )
            )
        if ind.method is not None:
            for sub, vi, en in check_method_params(ind.method.kind, ind.method.params):
                problems.append(Problem(("indicators", i, "method", "params", *sub), vi, en))
        if ind.code in parents:
            for field in ("target", "target_min", "target_max", "method"):
                if getattr(ind, field) is not None:
                    problems.append(
                        Problem(
                            ("indicators", i, field),
                            "chỉ tiêu có chỉ tiêu con không được có giá trị này",
                            "an indicator with parts must not set this",
                        )
                    )
        elif ind.method is None:
            problems.append(
                Problem(
                    ("indicators", i, "method"),
                    "thiếu trường bắt buộc",
                    "required field is missing",
                )
            )
    for i, duty in enumerate(doc.duties):
        known(duty.agency, ("duties", i, "agency"))
    for i, rep in enumerate(doc.reporting):
        known(rep.by, ("reporting", i, "by"))
        for j, code in enumerate(rep.to):
            known(code, ("reporting", i, "to", j))
    return problems


def _from_pydantic(exc: ValidationError, data: Any) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for error in exc.errors():
        path = _data_path(error["loc"], data, error["type"])
        vi, en = MESSAGES.get(error["type"], ("giá trị không hợp lệ", error["msg"]))
        ctx = {k: v for k, v in (error.get("ctx") or {}).items()}
        vi, en = vi.format_map(_Safe(ctx)), en.format_map(_Safe(ctx))
        if (path, vi) in seen:
            continue
        seen.add((path, vi))
        problems.append(Problem(path, vi, en))
    return problems


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _data_path(loc: tuple, data: Any, error_type: str) -> Path_:
    """The part of pydantic's location that names places in the file (drops union branch
    names such as 'int' or 'function-plain[...]')."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        in_mapping = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_mapping or in_list:
            node = node[part]
        elif not (error_type == "missing" and i == len(loc) - 1):
            break
        path.append(part)
    return tuple(path)


def _line_map(node: yaml.Node, path: Path_ = ()) -> Iterator[tuple[Path_, int]]:
    yield path, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            yield child, key.start_mark.line + 1
            for sub_path, line in _line_map(value, child):
                if sub_path != child:
                    yield sub_path, line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _line_map(item, (*path, i))


def _with_lines(problems: list[Problem], lines: dict[Path_, int]) -> list[Problem]:
    located = []
    for problem in problems:
        path = problem.path
        while path and path not in lines:
            path = path[:-1]
        located.append(Problem(problem.path, problem.vi, problem.en, lines.get(path)))
    return sorted(located, key=lambda p: (p.line or 0, p.dotted))
