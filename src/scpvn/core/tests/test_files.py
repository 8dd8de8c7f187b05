"""Uploads are judged by content and size; stored files go out with safe headers."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile, FileField
from django.test import RequestFactory

from scpvn.core.files import UploadValidator, serve_protected_file, validate_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def office(kind_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(kind_part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kinds", "expected"),
    [
        ("bao-cao.pdf", PDF, {"pdf"}, "pdf"),
        ("anh.png", PNG, {"png", "jpeg"}, "png"),
        ("anh.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, {"jpeg"}, "jpeg"),
        ("anh.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", {"webp"}, "webp"),
        ("bao-cao.docx", office("word/document.xml"), {"docx", "pdf"}, "docx"),
        ("so-lieu.xlsx", office("xl/workbook.xml"), {"xlsx"}, "xlsx"),
        ("trinh-chieu.pptx", office("ppt/presentation.xml"), {"pptx"}, "pptx"),
        ("danh-sach.csv", "mã,tên\n0100109106,Công ty Xanh\n".encode(), {"csv"}, "csv"),
        ("ghi-chu.txt", "Ghi chú tiếng Việt".encode(), {"text"}, "text"),
    ],
)
def test_accepted_when_content_matches(name, content, kinds, expected):
    assert validate_upload(SimpleUploadedFile(name, content), kinds, 1024 * 1024) == expected


@pytest.mark.parametrize(
    ("name", "content", "kinds", "message"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00 windows program", {"pdf"}, "Loại tệp"),
        ("anh.png", b"<svg onload=alert(1)>", {"png", "text"}, "Loại tệp"),
        ("trang.html", b"<html><script>alert(1)</script>", {"text", "csv"}, "Loại tệp"),
        ("bao-cao.docx", PDF, {"docx", "pdf"}, "Đuôi tệp"),
        ("so-lieu.xlsx", office("word/document.xml"), {"xlsx"}, "Loại tệp"),
        ("gia.zip.docx", b"PK\x03\x04 broken zip", {"docx"}, "Loại tệp"),
        ("rong.pdf", b"", {"pdf"}, "rỗng"),
        ("lon.pdf", PDF + b"0" * 2048, {"pdf"}, "quá lớn"),
    ],
)
def test_refused_with_a_clear_message(name, content, kinds, message):
    with pytest.raises(ValidationError, match=message):
        validate_upload(SimpleUploadedFile(name, content), kinds, 1024)


def test_validator_for_model_fields():
    validator = UploadValidator({"pdf"}, 1024)
    validator(SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(ValidationError):
        validator(SimpleUploadedFile("a.pdf", PNG))
    assert validator == UploadValidator(["pdf"], 1024)


@pytest.fixture
def stored(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    field = FileField(storage=storage)
    field.name = "file"

    def store(name: str, content: bytes) -> FieldFile:
        saved = storage.save(name, ContentFile(content))
        return FieldFile(None, field, saved)

    return store


def test_documents_download_and_are_never_sniffed(stored):
    request = RequestFactory().get("/")
    # An HTML file renamed to .pdf is served as an opaque download, not as a page.
    response = serve_protected_file(request, stored("bang-chung.pdf", b"<html>x"), allowed=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    response = serve_protected_file(request, stored("bao-cao.pdf", PDF), allowed=True)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_images_show_inline(stored):
    response = serve_protected_file(RequestFactory().get("/"), stored("anh.png", PNG), allowed=True)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")


def test_permission_is_required(stored):
    with pytest.raises(PermissionDenied):
        serve_protected_file(RequestFactory().get("/"), stored("a.pdf", PDF), allowed=False)
