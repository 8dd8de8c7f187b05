"""The import page (inline and background), its error download, and the scoped API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from scpvn.registry.importing import HEADERS
from scpvn.registry.models import Enterprise, ImportJob
from scpvn.registry.tests.test_import import GOOD, tax, xlsx

pytestmark = pytest.mark.django_db


def csv_upload(rows) -> SimpleUploadedFile:
    lines = [",".join(HEADERS), *(",".join(row) for row in rows)]
    return SimpleUploadedFile("dn.csv", "\n".join(lines).encode(), content_type="text/csv")


def test_small_file_is_imported_while_the_page_waits(client, users):
    client.force_login(users["agency_officer"])
    response = client.post(reverse("registry:import"), {"file": csv_upload(GOOD[:2])}, follow=True)
    assert "Đã tạo mới 2 và cập nhật 0 doanh nghiệp" in response.text
    assert Enterprise.objects.count() == 2
    job = ImportJob.objects.get()
    assert (job.status, job.created_by) == ("done", users["agency_officer"])


def test_bad_file_shows_every_problem_and_an_annotated_download(client, users):
    client.force_login(users["city_admin"])
    bad = [*GOOD[:2], [tax(7), "Công ty Lạ", "", "Quận 1", "", "4711", "", "", ""]]
    response = client.post(reverse("registry:import"), {"file": csv_upload(bad)}, follow=True)
    assert "không dòng nào được ghi" in response.text
    assert "Quận 1" in response.text and "không có quận, huyện này" in response.text
    assert Enterprise.objects.count() == 0
    job = ImportJob.objects.get()
    download = client.get(reverse("registry:import_errors", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert [sheet.cell(2, 1).value, sheet.cell(2, 5).value] == [4, "Quận 1"]


@pytest.mark.django_db(transaction=True)  # the worker manages its own connection
@pytest.mark.usefixtures("reference_data")
def test_large_file_goes_to_the_worker_with_progress(client, users, monkeypatch):
    monkeypatch.setattr("scpvn.registry.services.INLINE_IMPORT_BYTES", 10)
    client.force_login(users["agency_officer"])
    upload = SimpleUploadedFile("dn.xlsx", xlsx(GOOD), content_type="application/octet-stream")
    response = client.post(reverse("registry:import"), {"file": upload, "dry_run": "on"})
    job = ImportJob.objects.get()
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in fragment.text and "Đang chờ" in fragment.text
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.processed_rows) == ("done", 3, 4)
    assert Enterprise.objects.count() == 0  # a dry run
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "hx-trigger" not in fragment.text and "sẽ tạo mới 3" in fragment.text


def test_api_is_scoped_and_filtered(client, users, tmp_path):
    from scpvn.registry.importing import import_file

    path = tmp_path / "dn.xlsx"
    path.write_bytes(xlsx(GOOD))
    import_file(path)
    dongda = Enterprise.objects.get(district__code="006")
    dongda.members.add(users["enterprise_user"])

    def tax_codes(user, query="") -> list[str]:
        client.force_login(user)
        response = client.get(reverse("enterprise-list") + query)
        return sorted(row["tax_code"] for row in response.json()["results"])

    assert len(tax_codes(users["agency_officer"])) == 3
    assert tax_codes(users["agency_officer"], "?district=001") == [tax(1)]
    assert tax_codes(users["agency_officer"], "?in_industrial_zone=true") == [tax(2)]
    assert tax_codes(users["district_officer"]) == [dongda.tax_code]
    assert tax_codes(users["enterprise_user"]) == [dongda.tax_code]
    other = Enterprise.objects.get(district__code="001")
    assert client.get(reverse("enterprise-detail", args=[other.pk])).status_code == 404


def test_enterprise_on_a_2026_ward_alone_is_listed_and_shown(client, users, tmp_path):
    from scpvn.registry.importing import import_file
    from scpvn.registry.tests.test_import import row

    path = tmp_path / "dn.xlsx"
    path.write_bytes(xlsx([row(0, "Phường Cửa Nam", province="Hà Nội")]))
    assert import_file(path).ok
    enterprise = Enterprise.objects.get()
    client.force_login(users["agency_officer"])
    listed = client.get(reverse("registry:enterprise_list"))
    assert enterprise.name in listed.text
    shown = client.get(reverse("registry:enterprise_detail", args=[enterprise.pk]))
    assert "Phường Cửa Nam" in shown.text
    assert "None" not in shown.text
    api = client.get(reverse("enterprise-list")).json()["results"]
    assert [r["tax_code"] for r in api] == [enterprise.tax_code]
