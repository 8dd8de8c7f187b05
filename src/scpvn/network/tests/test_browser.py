"""Each network module's main path in a real browser (Chromium via Playwright)."""

import datetime as dt

import pytest
from openpyxl import Workbook

from scpvn.assessments.models import Questionnaire
from scpvn.core.tests.test_browser import login
from scpvn.fairs.models import FairApplication
from scpvn.greenpoints.models import Criterion, GreenField, GreenPoint
from scpvn.outreach.models import Event, MediaItem, PssPilot
from scpvn.progress.models import Activity
from scpvn.surveys.models import Survey, SurveySector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "x-test-password-1"


def sign_out(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_fair_enterprise_applies_and_officer_allocates(
    page, live_server, users, make_fair, make_enterprise
):
    event = make_fair(capacity=2)
    make_enterprise(name="Công ty TNHH Mây tre Phú Vinh", member=users["enterprise_user"])
    login(page, live_server, "enterprise", PASSWORD)
    page.goto(f"{live_server.url}/network/fairs/")
    page.get_by_role("link", name="Hội chợ xanh").click()
    page.get_by_role("link", name="Đăng ký gian hàng").click()
    page.get_by_label("Doanh nghiệp").select_option(index=1)
    page.get_by_label("Sản phẩm trưng bày").fill("Giỏ mây, đèn tre")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã gửi đăng ký gian hàng.").wait_for()
    sign_out(page)
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/network/fairs/{event.pk}/")
    page.get_by_role("button", name="Duyệt, xếp gian").click()
    page.get_by_text("Đã xét duyệt.").wait_for()
    assert page.locator("#allocated").inner_text() == "1/2"
    assert FairApplication.objects.get().booth.code == "A01"


def test_green_point_scored_and_certified(page, live_server, users, make_enterprise, dongda):
    field = GreenField.objects.create(name="Đồ nội thất", pass_score=10)
    for order, text in enumerate(["Gỗ hợp pháp", "Vật liệu tái chế"], start=1):
        Criterion.objects.create(field=field, order=order, text=text, max_score=10)
    point = GreenPoint.objects.create(
        enterprise=make_enterprise(),
        field=field,
        name="Nội thất tre Xuân Mai",
        address="5 Láng Hạ",
        district=dongda,
        evidence="network/e.pdf",
    )
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/network/green-points/")
    page.get_by_role("link", name="Nội thất tre Xuân Mai").click()
    page.get_by_label("Gỗ hợp pháp (0–10)").fill("8")
    page.get_by_label("Vật liệu tái chế (0–10)").fill("7")
    page.get_by_role("button", name="Lưu đánh giá").click()
    page.get_by_text("Đã lưu kết quả đánh giá.").wait_for()
    page.get_by_role("button", name="Cấp chứng nhận").click()
    page.get_by_text("Chứng nhận còn hiệu lực").wait_for()
    assert point.certificates.count() == 1


def test_pss_pilot_completed(page, live_server, users, make_enterprise, sct, deliverable):
    pilot = PssPilot.objects.create(
        name="Cho thuê đèn LED",
        host=make_enterprise(),
        started=dt.date(2020, 8, 1),
        agency=sct,
        deliverable=deliverable,
        design="Thuê theo giờ chiếu sáng",
    )
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/network/pss/")
    page.get_by_role("link", name="Cho thuê đèn LED").click()
    page.get_by_label("Kết quả").fill("Giảm 38% điện năng")
    page.get_by_label("Ngày hoàn thành").fill("2020-12-10")
    page.get_by_role("button", name="Hoàn thành").click()
    page.get_by_text("Đã ghi nhận mô hình hoàn thành.").wait_for()
    pilot.refresh_from_db()
    assert pilot.status == "completed" and Activity.objects.filter(deliverable=deliverable).exists()


def test_survey_sampled_answered_and_reported(
    page, live_server, users, make_enterprise, sct, deliverable
):
    questionnaire = Questionnaire.objects.create(
        code="NLCT-TEST", title="Phiếu năng lực 2020", subject="enterprise"
    )
    questionnaire.questions.create(
        code="c1",
        order=0,
        text="Mức độ áp dụng SXSH",
        type="single",
        choices=[{"value": str(v), "label": str(v)} for v in range(1, 6)],
        required=True,
    )
    questionnaire.questions.create(
        code="c2", order=1, text="Có ISO 14001?", type="yes_no", required=True
    )
    survey = Survey.objects.create(
        title="Khảo sát năng lực 2020",
        year=2020,
        agency=sct,
        questionnaire=questionnaire,
        deliverable=deliverable,
    )
    SurveySector.objects.create(survey=survey, name="Cơ khí", vsic_prefixes=["25"], sample_size=2)
    for _ in range(3):
        make_enterprise("2511")
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/network/surveys/")
    page.get_by_role("link", name="Khảo sát năng lực 2020").click()
    page.get_by_role("button", name="Chọn mẫu từ sổ doanh nghiệp").click()
    page.get_by_text("Đã chọn mẫu: Cơ khí: 2").wait_for()
    # the paper form is entered on the questionnaire engine's answer page
    page.locator("table").last.get_by_role("link").first.click()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Có", exact=True).check()
    page.get_by_role("button", name="Gửi phiếu").click()
    page.get_by_text("Đã ghi phiếu trả lời.").wait_for()
    # back on the survey, for the next paper form
    assert page.url == f"{live_server.url}{survey.get_absolute_url()}"
    page.get_by_role("button", name="Lập báo cáo (DOCX, PDF)").click()
    page.get_by_text("Đã lập 2 báo cáo.").wait_for()
    sector = page.locator("li", has_text="Cơ khí")
    with page.expect_download() as download:
        sector.get_by_role("link", name="DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")
    with page.expect_download() as download:
        sector.get_by_role("link", name="PDF (dự thảo)").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_training_sign_in_sheet_and_held(page, live_server, users, sct, deliverable, tmp_path):
    event = Event.objects.create(
        kind="training",
        title="Tập huấn SXSH đợt 1",
        date=dt.date(2020, 9, 9),
        venue="Sở Công Thương",
        agency=sct,
        deliverable=deliverable,
    )
    book = Workbook()
    book.active.append(["Họ và tên", "Đơn vị", "Email"])
    book.active.append(["Nguyễn Thị An", "Công ty A", "an@example.vn"])
    sheet = tmp_path / "diem-danh.xlsx"
    book.save(sheet)
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/network/events/")
    page.get_by_role("link", name="Tập huấn SXSH đợt 1").click()
    page.get_by_label("Bảng điểm danh (XLSX)").set_input_files(str(sheet))
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.get_by_text("Điểm danh: 0 người đã đăng ký, 1 người đến trực tiếp.").wait_for()
    page.get_by_role("button", name="Ghi nhận đã tổ chức").click()
    page.locator("#status", has_text="Đã tổ chức").wait_for()
    assert Activity.objects.get(source_id=event.pk, source_type__model="event").quantity == 1


def test_flyer_recorded_with_print_quantity(page, live_server, users, sct, deliverable):
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/network/media/")
    page.get_by_role("link", name="Thêm sản phẩm").click()
    page.get_by_label("Loại").select_option(label="Tờ rơi")
    page.get_by_label("Tiêu đề").fill("Tác hại của rác thải nhựa")
    page.get_by_label("Cơ quan báo chí, nơi phát hành").fill("Sở Công Thương")
    page.get_by_label("Ngày đăng, phát").fill("2020-09-01")
    page.get_by_label("Đường dẫn").fill("https://example.vn/to-roi")
    page.get_by_label("Cơ quan", exact=True).select_option(label="Sở Công Thương")
    page.get_by_label("Sản phẩm đầu ra được tính").select_option(index=1)
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Ấn phẩm in cần số lượng in.").wait_for()
    page.get_by_label("Số lượng in").fill("30000")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("link", name="Tác hại của rác thải nhựa", exact=True).wait_for()
    assert "30.000" in page.content()
    assert MediaItem.objects.get().print_quantity == 30000
    assert Activity.objects.get().quantity == 30000
