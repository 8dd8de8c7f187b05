"""The report as PDF: the same layout as the Word document, from an HTML template printed
by WeasyPrint (Times New Roman, or its metric twin Liberation Serif)."""

from django.template.loader import render_to_string
from weasyprint import HTML


def render(doc: dict) -> bytes:
    html = render_to_string("reports/document.html", {"doc": doc})
    return HTML(string=html).write_pdf()
