import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from scpvn.core.tests.poppler import assert_one_serif_family
from scpvn.plans.models import Task
from scpvn.progress.tests.factories import approved
from scpvn.reports.models import Report, ReportSection
from scpvn.reports.services import open_report, report_period, vn_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(mini_plan):
    return open_report(mini_plan.reporting.get(code="6T"), "2020-H1")


def test_vn_number():
    assert vn_number("30000") == "30.000" and vn_number("2.50") == "2,5" and vn_number(None) == "—"


def test_agencies_write_lead_compiles_reviewer_approves_and_numbers_are_frozen(
    client, users, report
):
    from scpvn.conftest import make_user
    from scpvn.orgs.models import Agency

    approved("1.1", 4, dt.date(2020, 6, 10))
    task1, task2 = Task.objects.get(number=1), Task.objects.get(number=2)
    tnmt = make_user("tnmt", "agency_officer", Agency.objects.get(code="STNMT"))
    client.force_login(tnmt)
    section = reverse("reports:section", args=[report.pk])
    client.post(section, {"task": task1.pk, "text": "Phối hợp đăng 4 bài trên báo Tài nguyên"})
    client.post(section, {"task": task2.pk, "text": "không phải việc của Sở TN&MT"})
    assert list(ReportSection.objects.values_list("agency__code", "task__number")) == [("STNMT", 1)]
    # A partner cannot compile or submit.
    client.post(reverse("reports:action", args=[report.pk, "submit"]))
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT

    client.force_login(users["agency_officer"])  # Sở Công Thương, the reporting agency
    client.post(section, {"task": task1.pk, "text": "Đã ký hợp đồng với 3 cơ quan báo chí"})
    client.post(
        reverse("reports:compile", args=[report.pk]),
        {
            "number": "125",
            "difficulties": "Kinh phí giao chậm",
            "proposals": "Bổ sung kinh phí",
            "signer_title": "GIÁM ĐỐC",
            "signer_name": "Lê Hồng Thăng",
            "version": report.version,
        },
    )
    client.post(reverse("reports:action", args=[report.pk, "submit"]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.number == "125"
    frozen = report.snapshot["tasks"][0]["deliverables"][0]
    assert frozen["code"] == "1.1" and frozen["achieved"] == "4"

    approved("1.1", 6, dt.date(2020, 6, 20))  # recorded after submission: not in the report
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Số liệu đã chốt" in page
    report.refresh_from_db()
    assert report.snapshot["tasks"][0]["deliverables"][0]["achieved"] == "4"
    # Sections are closed once submitted.
    client.post(section, {"task": task1.pk, "text": "sửa sau khi trình"})
    assert not ReportSection.objects.filter(text="sửa sau khi trình").exists()

    client.force_login(users["reviewer"])
    client.post(reverse("reports:action", args=[report.pk, "return"]), {"comment": ""})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    client.post(reverse("reports:action", args=[report.pk, "approve"]))
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED


def test_returned_report_releases_its_snapshot(client, users, report):
    client.force_login(users["agency_officer"])
    client.post(reverse("reports:action", args=[report.pk, "submit"]))
    client.force_login(users["reviewer"])
    client.post(
        reverse("reports:action", args=[report.pk, "return"]), {"comment": "Bổ sung số liệu"}
    )
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED and report.snapshot is None
    assert report.review_comment == "Bổ sung số liệu"


def test_docx_has_the_decree_30_layout(client, users, report):
    ReportSection.objects.create(
        report=report, task=Task.objects.get(number=1), agency=report.duty.by, text="Đã đăng 4 bài"
    )
    client.force_login(users["reviewer"])
    response = client.get(reverse("reports:download", args=[report.pk, "docx"]))
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    assert round(section.page_width.mm) == 210
    assert document.styles["Normal"].font.name == "Times New Roman"
    heading = document.tables[0]
    left, right = (c.text for c in heading.rows[0].cells)
    assert "SỞ CÔNG THƯƠNG" in left and "Số:" in left and "/BC-SCT" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    motto = next(p for p in heading.rows[0].cells[1].paragraphs if "Độc lập" in p.text)
    assert motto.runs[0].underline
    assert "ngày" in right and "tháng" in right and "năm 2020" in right
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "6 tháng đầu năm 2020" in text and "Đã đăng 4 bài" in text
    footer = document.tables[-1]
    assert footer.rows[0].cells[0].text.startswith("Nơi nhận:")
    assert "UBND Thành phố" in footer.rows[0].cells[0].text
    assert "GIÁM ĐỐC" in footer.rows[0].cells[1].text
    sizes = {r.font.size.pt for p in document.paragraphs for r in p.runs if r.font.size}
    assert sizes <= {13, 14}


def test_pdf_and_xlsx(client, users, report):
    approved("2.1", 2, dt.date(2020, 6, 1))
    client.force_login(users["reviewer"])
    pdf = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert_one_serif_family(pdf.content)
    xlsx = client.get(reverse("reports:download", args=[report.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["Nhiệm vụ"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    row = next(r for r in rows if r[0] == "2.1")
    assert row[4] == "lớp" and row[5] == 5 and row[7] == 2 and row[8] == pytest.approx(0.4)


def test_pdf_template_has_the_same_layout(report):
    from django.template.loader import render_to_string

    from scpvn.reports.services import document

    html = render_to_string("reports/document.html", {"doc": document(report)})
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/BC-SCT",
        "Nơi nhận:",
        "GIÁM ĐỐC",
        "scpvn-serif",
        "margin: 20mm 15mm 20mm 30mm",
    ):
        assert text in html


def test_report_build_command(tmp_path, mini_plan):
    for fmt in ("docx", "pdf", "xlsx"):
        out = tmp_path / f"bc.{fmt}"
        call_command(
            "report",
            "build",
            "--plan",
            mini_plan.code,
            "--period",
            "2020-H1",
            "--format",
            fmt,
            "--out",
            str(out),
        )
        assert out.stat().st_size > 1000
    assert not Report.objects.exists()  # building a file does not create a report
    with pytest.raises(CommandError, match="không có chế độ báo cáo"):
        call_command(
            "report",
            "build",
            "--plan",
            mini_plan.code,
            "--period",
            "2020",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "x.pdf"),
        )
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command(
            "report",
            "build",
            "--plan",
            mini_plan.code,
            "--period",
            "H1",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "x.pdf"),
        )


def test_report_list_opens_reports_and_refuses_bad_periods(client, users, mini_plan):
    client.force_login(users["agency_officer"])
    duty = mini_plan.reporting.get(code="6T")
    page = client.get(reverse("reports:list")).content.decode()
    assert "6 tháng đầu năm 2020" in page
    response = client.post(reverse("reports:open"), {"duty": duty.pk, "period": "2020-H1"})
    assert response["Location"] == Report.objects.get().get_absolute_url()
    response = client.post(
        reverse("reports:open"), {"duty": duty.pk, "period": "năm ngoái"}, follow=True
    )
    assert "không hợp lệ" in response.content.decode() and Report.objects.count() == 1


def test_document_stays_vietnamese_when_the_ui_is_english(client, users, report):
    from django.conf import settings

    client.force_login(users["reviewer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Periodic reports" in client.get(reverse("reports:list")).content.decode()
    response = client.get(reverse("reports:download", args=[report.pk, "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "6 tháng đầu năm 2020" in text and "first half" not in text


def test_indicator_table_carries_the_engines_value(report, users):
    """The report's indicator rows come from the indicator engine (here a manual value)."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from scpvn.indicators.services import enter_manual_value
    from scpvn.reports.services import compute_figures

    indicator = report.plan.indicators.get(code="4.1")
    indicator.method = {"kind": "manual", "description": "Nhập tay", "params": {}}
    indicator.save()
    enter_manual_value(
        indicator=indicator,
        period_code="2020-H1",
        value=Decimal("42.5"),
        source_title="Báo cáo thống kê",
        source_document=SimpleUploadedFile("nguon.pdf", b"%PDF-1.4\n%%EOF\n"),
        user=users["city_admin"],
    )
    rows = {row["code"]: row for row in compute_figures(report)["indicators"]}
    assert rows["4.1"]["value"] == "42.5"
    assert rows["4.1"]["target"] == "50"
    assert rows["4.2"]["value"] is None


def test_reports_have_no_monthly_period():
    """Reports are kept by year, half and quarter; a month code names no report."""
    assert report_period("2020-q3").code == "2020-Q3"
    with translation.override("vi"), pytest.raises(ValidationError, match="không hợp lệ"):
        report_period("2020-07")
