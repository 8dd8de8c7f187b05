"""Poppler's command-line tools (Debian poppler-utils) as test helpers: what an independent
PDF reader sees in the files the app makes. Tests skip with one line where they are absent."""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

# What follows the family in the name of its bold, italic or bold-italic face.
FACE_SUFFIX = r"-(Regular|Bold|Italic|BoldItalic|Bold-Italic)$"


def run(tool: str, pdf: bytes, *args: str) -> subprocess.CompletedProcess:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) không có trên máy này")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            [tool, *args, str(path)], capture_output=True, text=True, timeout=60, check=False
        )


def font_names(pdf: bytes) -> list[tuple[str, bool]]:
    """(base font name without the subset prefix, embedded?) of every font in the PDF."""
    out = run("pdffonts", pdf)
    assert out.returncode == 0, out.stderr
    rows = []
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        name = parts[0].split("+", 1)[-1]
        # columns from the right: emb sub uni object ID -> emb is the 5th from the end
        rows.append((name, parts[-5] == "yes"))
    return rows


def assert_one_serif_family(pdf: bytes) -> None:
    """Every font in the PDF is embedded and is the regular, bold or italic face of one
    family: no fallback font stepped in for a letter the typeface lacks."""
    rows = font_names(pdf)
    assert rows, "no fonts in the PDF"
    assert all(embedded for _n, embedded in rows), rows
    families = {re.sub(FACE_SUFFIX, "", name) for name, _e in rows}
    assert len(families) == 1, rows
    assert "DejaVu" not in " ".join(n for n, _e in rows)


def text(pdf: bytes) -> str:
    """The words of the PDF as `pdftotext` reads them, whitespace collapsed (a table cell
    wrapped over two lines reads as one phrase)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) không có trên máy này")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert out.returncode == 0, out.stderr
    return " ".join(out.stdout.split())
