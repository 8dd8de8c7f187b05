"""Every PDF the app makes goes through `html_to_pdf`, so every PDF carries one typeface
with every Vietnamese letter embedded.

WeasyPrint asks fontconfig for a family by name; on a machine with Liberation 1.07 the
letters it lacks (ả, ế, ố, ủ, ầ, ề, ữ, ấ …) silently fall back to another font in the middle
of a word. Here the family `FONT_FAMILY` is declared with `@font-face` on the files of a
metric twin of Times New Roman that covers Vietnamese, found from `data/pdf_fonts.txt` or
the `SCPVN_PDF_FONT_DIR` setting, so nothing is left to fontconfig's choice.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

FONT_FAMILY = "scpvn-serif"
PT_PER_PX = 0.75  # CSS pixels are 1/96 in, PDF points 1/72 in
FONT_LIST = Path(__file__).parent / "data" / "pdf_fonts.txt"
# (weight, style) of the four files on each line of FONT_LIST, in order.
FACES = (("normal", "normal"), ("bold", "normal"), ("normal", "italic"), ("bold", "italic"))


def _candidates() -> list[tuple[Path, list[str]]]:
    lines = FONT_LIST.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.strip() and not line.startswith("#"):
            directory, *files = line.split()
            out.append((Path(directory), files))
    override = getattr(settings, "SCPVN_PDF_FONT_DIR", "")
    if override:
        # The same file names as any known candidate, looked for in the configured directory.
        out = [(Path(override), files) for _d, files in out]
    return out


@cache
def font_files() -> tuple[Path, ...]:
    """Regular, bold, italic and bold-italic files of the document typeface."""
    for directory, files in _candidates():
        paths = tuple(directory / name for name in files)
        if all(p.is_file() for p in paths):
            return paths
    raise ImproperlyConfigured(
        _(
            "Không tìm thấy phông chữ cho văn bản PDF (Liberation Serif 2 hoặc Tinos). "
            "Cài gói fonts-liberation2 (scripts/system-deps.sh) hoặc đặt SCPVN_PDF_FONT_DIR."
        )
    )


def font_css() -> str:
    """`@font-face` rules binding FONT_FAMILY to the four files."""
    rules = [
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{path.as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for path, (weight, style) in zip(font_files(), FACES, strict=True)
    ]
    return "\n".join(rules)


@dataclass(frozen=True)
class Anchor:
    """Where an element with an `id` starts in the PDF: page index and PDF point (from the
    bottom-left corner, in pt), e.g. to place a signature field over it."""

    page: int
    x: float
    y: float


def render_pdf(html: str, *, archive: bool = False) -> tuple[bytes, dict[str, Anchor]]:
    """The PDF of `html` and the position of every element with an `id`. Templates name
    `font-family: scpvn-serif`. With `archive`, PDF/A-2b (ISO 19005-2: fonts embedded,
    colours declared) for the copy that is kept on file."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheet = CSS(string=font_css(), font_config=fonts)
    document = HTML(string=html).render(stylesheets=[stylesheet], font_config=fonts)
    anchors = {}
    for index, page in enumerate(document.pages):
        for name, (x, y, *_end) in page.anchors.items():
            anchors[name] = Anchor(index, x * PT_PER_PX, (page.height - y) * PT_PER_PX)
    options = {"pdf_variant": "pdf/a-2b"} if archive else {}
    return document.write_pdf(**options), anchors


def html_to_pdf(html: str, *, archive: bool = False) -> bytes:
    """The PDF of `html` (see `render_pdf`)."""
    return render_pdf(html, archive=archive)[0]
