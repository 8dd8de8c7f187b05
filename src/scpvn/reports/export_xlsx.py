"""The report's task table as a spreadsheet: one row per task and per deliverable with
target, achieved in the period and in total, progress and status."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from scpvn.core.exports import neutralise, safe_row
from scpvn.indicators.methods import DIVIDES_BY

HEADERS = [
    "TT",
    "Nhiệm vụ, sản phẩm",
    "Đơn vị chủ trì",
    "Thời gian",
    "Đơn vị tính",
    "Chỉ tiêu",
    "Trong kỳ",
    "Lũy kế",
    "Tỷ lệ",
    "Đánh giá",
]
WIDTHS = [7, 70, 22, 16, 14, 12, 12, 12, 9, 18]
BUDGET_HEADERS = [
    "Nhiệm vụ",
    "Nguồn",
    "Quyết định giao",
    "Cơ quan chi",
    "Dự toán (đồng)",
    "Cam kết (đồng)",
    "Đã chi (đồng)",
    "Tiến độ nhiệm vụ",
]


def _number(value: str | None):
    return None if value is None else Decimal(value)


def render(doc: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    sheet["A1"] = neutralise(f"{doc['agency']} — {doc['title']}")
    sheet["A2"] = neutralise(doc["subtitle"])
    sheet["A3"] = f"Số liệu tính đến ngày {doc['as_of']:%d/%m/%Y}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"].font = Font(bold=True)
    sheet.append([])
    sheet.append(HEADERS)
    header_row = sheet.max_row
    thin = Side(style="thin", color="999999")
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBE3")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for task in doc["tasks"]:
        sheet.append(
            safe_row(
                [
                    task["number"],
                    task["title"],
                    task["lead"],
                    task["window"],
                    None,
                    None,
                    None,
                    None,
                    task["percent"] / 100,
                    task["status_label"],
                ]
            )
        )
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for d in task["deliverables"]:
            sheet.append(
                safe_row(
                    [
                        d["display_code"],
                        d["name"],
                        None,
                        None,
                        d["unit"],
                        _number(d["target"]),
                        _number(d["in_period"]),
                        _number(d["achieved"]),
                        d["percent"] / 100,
                        d["status_label"],
                    ]
                )
            )
    for row in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row):
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            if cell.column == 2:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.column == 9:
                cell.number_format = "0%"
            elif cell.column in (6, 7, 8):
                cell.number_format = "#,##0.##"
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    indicators = book.create_sheet("Chỉ tiêu")
    indicators.append(
        ["Mã", "Chỉ tiêu", "Đơn vị", "Mục tiêu", "Kết quả", "Đã khảo sát", "Trong sổ", "Mẫu số"]
    )
    for cell in indicators[1]:
        cell.font = Font(bold=True)
    for i in doc["indicators"]:
        indicators.append(
            safe_row(
                [
                    i["code"],
                    i["name"],
                    i["unit"],
                    _number(i["target"]),
                    _number(i["value"]),
                    i.get("observed"),
                    i.get("population"),
                    str(DIVIDES_BY[i["divides_by"]]) if i.get("divides_by") else None,
                ]
            )
        )
    for letter, width in zip("ABCDEFGH", [8, 80, 10, 12, 12, 12, 12, 28], strict=True):
        indicators.column_dimensions[letter].width = width
    budget = book.create_sheet("Kinh phí")
    budget.append(BUDGET_HEADERS)
    for cell in budget[1]:
        cell.font = Font(bold=True)
    for b in doc["budget"]:
        budget.append(
            safe_row(
                [
                    b["task"],
                    b["source"],
                    b["decision"],
                    b["agency"],
                    _number(b["allocated"]),
                    _number(b["committed"]),
                    _number(b["spent"]),
                    None if b["task_percent"] is None else b["task_percent"] / 100,
                ]
            )
        )
    for row in budget.iter_rows(min_row=2):
        for cell in row[4:7]:
            cell.number_format = "#,##0"
        row[7].number_format = "0%"
    for letter, width in zip("ABCDEFGH", [6, 24, 22, 36, 16, 16, 16, 10], strict=True):
        budget.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
