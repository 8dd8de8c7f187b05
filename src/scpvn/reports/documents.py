"""The register as a table, for the page and its CSV/XLSX export: one list of columns."""

import csv
import io

from django.db.models import QuerySet
from openpyxl import Workbook

from scpvn.reports.models import IssuedDocument

COLUMNS = [
    "Số, ký hiệu",
    "Ngày ban hành",
    "Trích yếu",
    "Người ký",
    "Cơ quan ký",
    "Trạng thái",
    "Lý do hủy",
    "SHA-256",
]


def rows(lines: QuerySet[IssuedDocument]) -> list[list[str]]:
    return [
        [
            e.code,
            f"{e.issued_on:%d/%m/%Y}",
            e.title,
            e.person_signer,
            e.agency_signer,
            str(e.get_status_display()),
            e.cancel_reason,
            e.sha256,
        ]
        for e in lines
    ]


def export_csv(lines: QuerySet[IssuedDocument]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows(lines))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def export_xlsx(lines: QuerySet[IssuedDocument]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ văn bản đi"
    sheet.append(COLUMNS)
    for row in rows(lines):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXPORTS = {
    "csv": (export_csv, "text/csv; charset=utf-8"),
    "xlsx": (export_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
