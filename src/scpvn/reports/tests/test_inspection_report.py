"""Inspections are work, and the inspection report (Plan 96, 10.2) shows them: an officer's
visit under an assignment moves deliverable 10.1; the report of the period lists it by unit
and by kind of place with its photo annexed, as DOCX and as PDF (read back with python-docx
and poppler's pdftotext), for the officers of the responsible agency only, and is issued
signed like a periodic report, counting toward 10.2."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.models import Questionnaire
from scpvn.assessments.services import assign, submit_response
from scpvn.conftest import make_user
from scpvn.core.errors import Denied
from scpvn.core.tests import poppler
from scpvn.geo.models import District
from scpvn.orgs.models import Agency
from scpvn.orgs.roles import Role
from scpvn.plans.models import Deliverable
from scpvn.progress.status import plan_progress
from scpvn.registry.models import Place
from scpvn.reports import issuing
from scpvn.reports.errors import DocumentError, ReportErrorCode
from scpvn.reports.inspections import open_inspection_report
from scpvn.reports.keys import Pkcs12Key
from scpvn.reports.models import InspectionReport, IssuedDocument
from scpvn.reports.signing import verify_pdf
from scpvn.reports.tests.pki import PIN, Pki

pytestmark = pytest.mark.django_db
YEAR_END = dt.date(2020, 12, 31)


@pytest.fixture
def field(hanoi_plan):
    sct = Agency.objects.get(code="SCT")
    return {
        "plan": hanoi_plan,
        "officer": make_user("inspector", Role.AGENCY_OFFICER, sct),
        "leader": make_user("leader", Role.REVIEWER, sct),
        "outsider": make_user("xaydung", Role.AGENCY_OFFICER, Agency.objects.get(code="SXD")),
        "market": Place.objects.create(
            kind=Place.Kind.MARKET,
            name="Chợ Hàng Da",
            district=District.objects.get(code="001"),
            market_class=1,
        ),
        "supermarket": Place.objects.create(
            kind=Place.Kind.SUPERMARKET,
            name="Siêu thị Hapro Thanh Xuân",
            district=District.objects.get(code="009"),
        ),
        "inspections": Deliverable.objects.get(task__plan=hanoi_plan, code="10.1"),
        "report_deliverable": Deliverable.objects.get(task__plan=hanoi_plan, code="10.2"),
    }


def achieved(plan, code: str, on: dt.date = YEAR_END):
    rows = plan_progress(plan, on, known_at=timezone.now()).tasks
    return next(d.achieved for t in rows for d in t.deliverables if d.deliverable.code == code)


def record_visits(field) -> None:
    officer = field["officer"]
    for code, place in (("BB-CHO", "market"), ("NILON-ST", "supermarket")):
        assign(
            officer,
            Questionnaire.objects.get(code=code),
            places=Place.objects.filter(pk=field[place].pk),
            deliverable=field["inspections"],
        )
    submit_response(
        questionnaire=Questionnaire.objects.get(code="BB-CHO"),
        subject=field["market"],
        date=dt.date(2020, 8, 14),
        values={"ky": "goc", "kho_phan_huy_kg": "12.5", "tong_bao_bi_kg": "50"},
        user=officer,
    )
    submit_response(
        questionnaire=Questionnaire.objects.get(code="NILON-ST"),
        subject=field["supermarket"],
        date=dt.date(2020, 9, 3),
        values={
            "dung_tui_kho_phan_huy": False,
            "anh_minh_chung": SimpleUploadedFile(
                "quay.png", sample_photo(), content_type="image/png"
            ),
        },
        user=officer,
    )


def test_a_visit_moves_10_1_and_the_10_2_report_lists_it_in_docx_and_pdf(client, field):
    plan = field["plan"]
    assert achieved(plan, "10.1") == 0
    record_visits(field)
    assert achieved(plan, "10.1") == 2

    client.force_login(field["officer"])
    opened = client.post(
        reverse("reports:inspections"),
        {"deliverable": field["report_deliverable"].pk, "period": "2020-H2"},
    )
    report = InspectionReport.objects.get()
    assert opened.url == report.get_absolute_url()
    assert (report.agency.code, report.deliverable.code) == ("SCT", "10.2")
    page = client.get(report.get_absolute_url())
    assert "Chợ Hàng Da" in page.text and "Siêu thị Hapro Thanh Xuân" in page.text

    docx = client.get(reverse("reports:inspection-download", args=[report.pk, "docx"]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(docx.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "Trong kỳ đã thực hiện 2 lượt kiểm tra tại 2 cơ sở" in text
    assert "THEO ĐƠN VỊ HÀNH CHÍNH" in text and "THEO LOẠI CƠ SỞ" in text
    assert {"Chợ dân sinh", "Siêu thị", "Chợ Hàng Da", "14/08/2020", "BB-CHO"} <= set(cells)
    assert "Cơ sở còn sử dụng túi nilon khó phân hủy: Không" in text
    assert len(document.inline_shapes) == 1  # the photo, annexed
    assert "PHỤ LỤC: ẢNH KIỂM TRA" in text and "Siêu thị Hapro Thanh Xuân" in text

    api = client.get(reverse("inspection-report-file", args=[report.pk]), {"fmt": "pdf"})
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    pdf_text = poppler.text(api.content)
    for expected in (
        "BÁO CÁO",
        "THEO LOẠI CƠ SỞ",
        "Chợ Hàng Da",
        "Chợ dân sinh",
        "Siêu thị Hapro Thanh Xuân",
        "14/08/2020",
        "PHỤ LỤC: ẢNH KIỂM TRA",
    ):
        assert expected in pdf_text, expected
    poppler.assert_one_serif_family(api.content)
    listed = client.get(reverse("inspection-report-detail", args=[report.pk])).json()
    assert listed["deliverable_code"] == "NV10.2"
    assert [v["place"] for v in listed["content"]["visits"]] == [
        "Chợ Hàng Da",
        "Siêu thị Hapro Thanh Xuân",
    ]
    assert {row["name"]: row["visits"] for row in listed["content"]["by_kind"]} == {
        "Chợ dân sinh": 1,
        "Siêu thị": 1,
    }


def test_only_the_responsible_agency_and_city_admin_reach_it(client, field):
    report = open_inspection_report(field["officer"], field["report_deliverable"], "2020")
    with pytest.raises(Denied) as refused:
        open_inspection_report(field["outsider"], field["report_deliverable"], "2020-H1")
    assert getattr(refused.value, "code", "") == ReportErrorCode.INSPECTION_DENIED
    assert InspectionReport.objects.count() == 1  # the refusal wrote nothing
    client.force_login(field["outsider"])
    assert client.get(report.get_absolute_url()).status_code == 404
    api = client.post(
        reverse("inspection-report-list"),
        {"deliverable": field["report_deliverable"].pk, "period": "2020-H1"},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["code"] == ReportErrorCode.INSPECTION_DENIED
    assert client.get(reverse("inspection-report-list")).json()["results"] == []
    enterprise = make_user("dn", Role.ENTERPRISE_USER)
    client.force_login(enterprise)
    assert client.get(reverse("reports:inspections")).status_code == 403
    admin = make_user("admin", Role.CITY_ADMIN, Agency.objects.get(code="SCT"))
    client.force_login(admin)
    docx = client.get(reverse("inspection-report-file", args=[report.pk]), {"fmt": "docx"})
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    bad = client.get(reverse("inspection-report-file", args=[report.pk]), {"fmt": "odt"})
    assert bad.status_code == 400


def test_issuing_signs_it_twice_and_counts_toward_10_2(field, settings, tmp_path):
    pki = Pki(tmp_path)
    pki.configure(settings)
    record_visits(field)
    report = open_inspection_report(field["officer"], field["report_deliverable"], "2020-H2")
    with pytest.raises(PermissionDenied):  # an officer who does not sign
        issuing.issue_document(field["officer"], report, Pkcs12Key(pki.person.p12(pki.ca), PIN))
    entry = issuing.issue_document(field["leader"], report, Pkcs12Key(pki.person.p12(pki.ca), PIN))
    assert entry.code == "1/BC-SCT" and entry.inspection_report == report
    checks = verify_pdf(bytes(entry.pdf))
    assert len(checks) == 2 and all(c.ok for c in checks), checks
    assert "Chợ Hàng Da" in poppler.text(bytes(entry.pdf))
    # It counts from the day it was signed (the report of 2020-H2 signed today).
    assert achieved(field["plan"], "10.2", entry.issued_on) == 1
    issuing.cancel_issue(field["leader"], entry, "Thiếu ảnh chợ Hàng Da")
    assert achieved(field["plan"], "10.2", entry.issued_on) == 0


def test_api_issues_the_inspection_report_and_refuses_an_officer(client, field, settings, tmp_path):
    pki = Pki(tmp_path)
    pki.configure(settings)
    record_visits(field)
    report = open_inspection_report(field["officer"], field["report_deliverable"], "2020-H2")
    url = f"/api/inspection-reports/{report.pk}/issue/"

    def key() -> dict:
        return {"key_file": SimpleUploadedFile("k.p12", pki.person.p12(pki.ca)), "pin": PIN}

    client.force_login(field["officer"])  # reads the report, does not sign it
    refused = client.post(url, key())
    assert refused.status_code == 403 and refused.json()["code"] == DocumentError.ISSUE_DENIED
    assert not IssuedDocument.objects.exists()
    client.force_login(field["leader"])
    done = client.post(url, key())
    assert done.status_code == 201, done.content
    assert done.json()["code"] == "1/BC-SCT" and done.json()["inspection_report"] == report.pk
