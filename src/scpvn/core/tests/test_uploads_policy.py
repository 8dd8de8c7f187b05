"""The upload policy holds for the whole project: every stored file is checked on the way in
by `core.files`, and nothing under MEDIA_URL is served to anyone, even with DEBUG."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from scpvn.core.files import UploadValidator

SRC = Path(__file__).resolve().parents[2]


def test_every_file_field_is_checked_by_core_files():
    unchecked = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
        and model.__module__.startswith("scpvn.")
        and not any(isinstance(v, UploadValidator) for v in field.validators)
    ]
    assert unchecked == []


def test_no_template_links_a_stored_file_directly():
    direct = re.compile(r"\.(file|evidence|photo|source_document)\.url\b")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("templates/**/*.html")
        if direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_media_is_never_served_publicly(client, settings, tmp_path, debug):
    settings.DEBUG = debug
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "bien-ban.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    answer = client.get(f"{settings.MEDIA_URL}evidence/bien-ban.pdf")
    assert answer.status_code in (403, 404)
    assert b"%PDF" not in answer.content
