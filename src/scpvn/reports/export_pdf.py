"""The reports as PDF: the same layout as the Word documents, from HTML templates printed
by WeasyPrint through `core.pdf` (one Times-metric typeface with every Vietnamese letter)."""

from django.template.loader import render_to_string

from scpvn.core.pdf import html_to_pdf
from scpvn.reports.inspections import photo_data_uri


def render(doc: dict, *, archive: bool = False) -> bytes:
    """`archive` gives PDF/A-2b, the copy that is signed and kept."""
    return html_to_pdf(render_to_string("reports/document.html", {"doc": doc}), archive=archive)


def inspection_html(doc: dict) -> str:
    """The inspection report's HTML, its photos inside it (nothing fetched by URL)."""
    photos = [{"uri": photo_data_uri(p), "caption": p.caption} for p in doc["photos"]]
    return render_to_string("reports/inspection_document.html", {"doc": doc, "photos": photos})


def render_inspections(doc: dict, *, archive: bool = False) -> bytes:
    return html_to_pdf(inspection_html(doc), archive=archive)
