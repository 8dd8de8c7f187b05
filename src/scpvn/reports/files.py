"""A report as a file, in the formats people send and file: DOCX, PDF, XLSX. The web page
and `scpvn report build` both come here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation

from scpvn.reports import export_docx, export_pdf, export_xlsx
from scpvn.reports.inspections import file_name, inspection_document
from scpvn.reports.models import InspectionReport, Report
from scpvn.reports.services import document


@dataclass(frozen=True)
class Format:
    render: Callable[[dict], bytes]
    content_type: str


FORMATS = {
    "docx": Format(
        export_docx.render,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": Format(export_pdf.render, "application/pdf"),
    "xlsx": Format(
        export_xlsx.render, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}


def build_file(report: Report, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) of `report` in `fmt`."""
    spec = FORMATS[fmt]
    code = (report.duty.by.code if report.duty.by else "UBND").lower()
    name = f"bao-cao-{report.period.lower()}-{code}.{fmt}"
    with translation.override("vi"):  # an official document is Vietnamese whatever the UI
        return spec.render(document(report)), name, spec.content_type


INSPECTION_FORMATS = {
    "docx": Format(export_docx.render_inspections, FORMATS["docx"].content_type),
    "pdf": Format(export_pdf.render_inspections, FORMATS["pdf"].content_type),
}


def build_inspection_file(report: InspectionReport, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) of an inspection report in `fmt` (docx, pdf):
    the responses as they stand now (a signed version is in the register)."""
    spec = INSPECTION_FORMATS[fmt]
    with translation.override("vi"):
        return spec.render(inspection_document(report)), file_name(report, fmt), spec.content_type
