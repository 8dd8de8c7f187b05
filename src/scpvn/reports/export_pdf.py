"""The report as PDF: the same layout as the Word document, from an HTML template printed
by WeasyPrint through `core.pdf` (one Times-metric typeface with every Vietnamese letter)."""

from django.template.loader import render_to_string

from scpvn.core.pdf import html_to_pdf


def render(doc: dict, *, archive: bool = False) -> bytes:
    """`archive` gives PDF/A-2b, the copy that is signed and kept."""
    return html_to_pdf(render_to_string("reports/document.html", {"doc": doc}), archive=archive)
