"""Small files that expand: a zip bomb and deep JSON, built in the test so nothing big is
kept on disk or in memory."""

import io
import zipfile


def zip_bomb(workbook: bytes, unpacked: int) -> bytes:
    """`workbook` (a real XLSX) with its first sheet's XML padded by a comment of `unpacked`
    bytes; it compresses to a few kilobytes."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _, tail = data.partition(b"<sheetData")
                data = head + b"<!--" + b" " * unpacked + b"--><sheetData" + tail
            bomb.writestr(item.filename, data)
    return out.getvalue()


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth
