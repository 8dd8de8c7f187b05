"""QR codes and label sheets for GS1 Digital Link URIs served by our own resolver."""

import io

import segno
from django.conf import settings
from django.template.loader import render_to_string

from scpvn.core.pdf import html_to_pdf
from scpvn.trace.models import Lot


def resolver_url(path: str) -> str:
    """The URI a QR code carries: our resolver (SCPVN_PUBLIC_URL) plus the Digital Link path."""
    return settings.SCPVN_PUBLIC_URL.rstrip("/") + "/" + path.lstrip("/")


def qr_svg(data: str, scale: int = 4) -> bytes:
    out = io.BytesIO()
    segno.make(data, error="m", micro=False).save(
        out, kind="svg", scale=scale, xmldecl=False, svgns=True
    )
    return out.getvalue()


def qr_png(data: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make(data, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_data_uri(data: str) -> str:
    return segno.make(data, error="m", micro=False).svg_data_uri(scale=4)


def lot_label_sheet(lot: Lot, count: int = 21) -> bytes:
    """An A4 PDF of `count` identical labels (3 × 7) for the lot, ready for sticker paper."""
    path = f"01/{lot.product.gtin}/10/{lot.code}"
    html = render_to_string(
        "trace/label_sheet.html",
        {
            "lot": lot,
            "qr": qr_data_uri(resolver_url(path)),
            "url": resolver_url(path),
            "labels": range(count),
        },
    )
    return html_to_pdf(html)
