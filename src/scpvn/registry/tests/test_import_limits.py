"""Imports stop early: size, unpacked size (zip bomb), rows and problems are bounded, the
type is judged by content, problems are stored as rows, a dead job is failed and retried."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from scpvn.core.tests.bombs import zip_bomb
from scpvn.registry.importing import HEADERS, import_file, run_import_job
from scpvn.registry.models import Enterprise, ImportJob
from scpvn.registry.tests.test_import import GOOD, tax, write, xlsx

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_zip_bomb_is_refused_before_openpyxl_reads_it(client, users, settings, tmp_path):
    settings.SCPVN_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = zip_bomb(xlsx(GOOD), 4 * 1024 * 1024)
    assert len(bomb) < 64 * 1024
    client.force_login(users["agency_officer"])
    response = client.post(reverse("registry:import"), {"file": upload("dn.xlsx", bomb)})
    assert response.status_code == 200
    assert "giải nén ra quá" in response.text
    assert not ImportJob.objects.exists()
    # the command line and the worker read through the same check
    result = import_file(write(tmp_path, "bomb.xlsx", bomb))
    assert "giải nén ra quá" in result.problems[0].reason


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anh.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "Loại tệp không được chấp nhận"),
        ("big.csv", b"a,b\n" + b"x,y\n" * 400, "Tệp quá lớn"),
    ],
)
def test_import_form_checks_type_by_content_and_size(
    client, users, settings, name, content, message
):
    settings.SCPVN_IMPORT_MAX_BYTES = 1000
    client.force_login(users["city_admin"])
    response = client.post(reverse("registry:import"), {"file": upload(name, content)})
    assert message in response.text
    assert not ImportJob.objects.exists()


def test_rows_beyond_the_limit_stop_the_import(settings, tmp_path):
    settings.SCPVN_IMPORT_MAX_ROWS = 2
    result = import_file(write(tmp_path, "dn.xlsx", xlsx(GOOD)))
    assert not result.ok and "quá 2 dòng" in result.problems[-1].reason
    assert Enterprise.objects.count() == 0


def test_collecting_problems_stops_at_the_limit(settings, tmp_path):
    settings.SCPVN_IMPORT_MAX_PROBLEMS = 2
    bad = [[tax(i), "", "", "Đống Đa", "", "4711", "", "", ""] for i in range(5)]
    result = import_file(write(tmp_path, "dn.xlsx", xlsx(bad)))
    assert len(result.problems) == 3
    assert "dừng kiểm tra sau 2 lỗi" in result.problems[-1].reason


def test_problems_are_rows_paginated_on_the_job_page(client, users, settings, tmp_path):
    bad = [[tax(i), "", "", "Đống Đa", "", "4711", "", "", ""] for i in range(60)]
    job = ImportJob.objects.create(
        original_name="dn.xlsx", file=upload("dn.xlsx", xlsx(bad)), created_by=users["city_admin"]
    )
    run_import_job(job)
    assert job.problem_rows.count() == 60
    client.force_login(users["city_admin"])
    first = client.get(reverse("registry:import_job", args=[job.pk]))
    assert "Có 60 lỗi" in first.text and first.text.count("ô bắt buộc") == 50
    second = client.get(reverse("registry:import_job", args=[job.pk]) + "?page=2")
    assert second.text.count("ô bắt buộc") == 10
    errors = client.get(reverse("registry:import_errors", args=[job.pk]))
    assert errors.status_code == 200


def test_a_job_that_dies_is_failed_and_can_be_retried(client, users, monkeypatch):
    job = ImportJob.objects.create(
        original_name="dn.xlsx", file=upload("dn.xlsx", xlsx(GOOD)), created_by=users["city_admin"]
    )

    def crash(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("scpvn.registry.importing.validate_file", crash)
    run_import_job(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.failure
    monkeypatch.undo()
    client.force_login(users["city_admin"])
    response = client.post(reverse("registry:import_retry", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert (job.status, job.failure, job.created_count) == ("done", "", 3)
    assert "Đã tạo mới 3" in response.text


def test_a_stale_validating_job_is_marked_failed(client, users, settings):
    settings.SCPVN_IMPORT_STALE_SECONDS = 60
    job = ImportJob.objects.create(
        original_name="dn.xlsx",
        file=upload("dn.xlsx", xlsx(GOOD)),
        status=ImportJob.Status.VALIDATING,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5)
    )
    client.force_login(users["city_admin"])
    response = client.get(reverse("registry:import_job", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "hx-trigger" not in response.text


def test_errors_workbook_neutralises_formulas(client, users):
    from openpyxl import load_workbook

    formula = '=HYPERLINK("http://evil.example","bấm")'
    lines = [";".join(HEADERS), ";".join([tax(0), formula, "", "Quận 1", "", "4711"])]
    job = ImportJob.objects.create(
        original_name="dn.csv",
        file=upload("dn.csv", "\n".join(lines).encode()),
        created_by=users["city_admin"],
    )
    run_import_job(job)
    client.force_login(users["city_admin"])
    content = client.get(reverse("registry:import_errors", args=[job.pk])).content
    sheet = load_workbook(io.BytesIO(content)).active
    cell = sheet.cell(2, 3)
    assert (cell.value, cell.data_type) == ("'" + formula, "s")
