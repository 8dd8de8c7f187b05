"""Uploaded files: what may come in, and how it goes out.

`validate_upload` trusts neither the browser's content type nor the file name: it reads the
first bytes (and, for Office files, the zip directory) and accepts only the kinds the caller
allows, up to a size. `serve_protected_file` answers a stored file only after the caller's
permission decision, with headers that stop a browser from running it as a page.
"""

import zipfile
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# kind → (MIME type, file name extensions accepted for it)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "webp": ("image/webp", (".webp",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
    ),
    "csv": ("text/csv", (".csv",)),
    "text": ("text/plain", (".txt",)),
}
IMAGES = frozenset({"png", "jpeg", "webp"})
DOCUMENTS = frozenset({"pdf", "docx", "xlsx", "pptx"})
OFFICE_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
SNIFF_BYTES = 8192


def sniff(file: File) -> str | None:
    """The kind the content shows, whatever the name says; None when it is none we know."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(file)
    if b"\x00" not in head:
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a multi-byte character cut by the sniff window is fine
                return None
            text = head[: exc.start].decode("utf-8-sig")
        if text.lstrip()[:1] == "<":
            return None  # markup (HTML, SVG, XML) is never accepted as text
        return "csv" if "," in text or ";" in text else "text"
    return None


def _office_kind(file: File) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for kind, part in OFFICE_PARTS.items() if part in names), None)


def validate_upload(file: File, allowed_kinds: Iterable[str], max_bytes: int | None = None) -> str:
    """Accept `file` only if its content is one of `allowed_kinds` (keys of KINDS), its name
    ends as that kind's does, and it is at most `max_bytes`; return the kind. Raises
    ValidationError with a message for the person who uploaded it."""
    allowed = frozenset(allowed_kinds)
    unknown = allowed - KINDS.keys()
    if unknown:
        raise ValueError(f"unknown file kinds: {sorted(unknown)}")
    limit = max_bytes or settings.SCPVN_MAX_UPLOAD_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s); tối đa %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if not file.size:
        raise ValidationError(_("Tệp rỗng."), code="file_empty")
    kind = sniff(file)
    text_like = {"csv", "text"}
    if kind in text_like and allowed & text_like and kind not in allowed:
        kind = next(iter(sorted(allowed & text_like)))  # a CSV is text, a text may be a CSV
    if kind not in allowed:
        names = ", ".join(ext for k in sorted(allowed) for ext in KINDS[k][1])
        raise ValidationError(
            _("Loại tệp không được chấp nhận; chỉ nhận: %(names)s.") % {"names": names},
            code="file_type",
        )
    extension = PurePath(file.name or "").suffix.lower()
    if extension not in KINDS[kind][1]:
        raise ValidationError(
            _("Đuôi tệp %(ext)s không khớp với nội dung (%(kind)s).")
            % {"ext": extension or "—", "kind": kind.upper()},
            code="file_extension",
        )
    return kind


@deconstructible
class UploadValidator:
    """`validators=[UploadValidator({"pdf", "docx"}, 10 * 1024 * 1024)]` on a FileField."""

    def __init__(self, allowed_kinds: Iterable[str], max_bytes: int | None = None):
        self.allowed_kinds = tuple(sorted(allowed_kinds))
        self.max_bytes = max_bytes

    def __call__(self, file: File) -> None:
        validate_upload(file, self.allowed_kinds, self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.allowed_kinds == other.allowed_kinds
            and self.max_bytes == other.max_bytes
        )


def serve_protected_file(
    request: HttpRequest, fieldfile: FieldFile, *, allowed: bool, download_name: str = ""
) -> FileResponse:
    """Answer a stored upload once the caller has decided `allowed` (its own permission rule).

    The content type comes from the content, not the stored name; only images are shown
    inline, everything else downloads; `nosniff` and a sandboxing CSP stop a file that slipped
    through from running as a page on our origin.
    """
    if not allowed:
        raise PermissionDenied
    if not fieldfile or not fieldfile.storage.exists(fieldfile.name):
        raise Http404
    handle = fieldfile.storage.open(fieldfile.name, "rb")
    kind = sniff(File(handle, name=fieldfile.name))
    content_type = KINDS[kind][0] if kind else "application/octet-stream"
    name = download_name or PurePath(fieldfile.name).name
    if kind and not PurePath(name).suffix:
        name += KINDS[kind][1][0]
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=kind not in IMAGES,
        filename=name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
