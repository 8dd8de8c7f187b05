"""Real browser, no network: an officer opens a published XLSForm in the browser, the
connection drops, two market visits are filled with photos and GPS and kept on the device, and
when the connection returns both reach the server once. A visit the server refuses stays on the
device with the server's reason. A visit to two stalls, each with its photo (a repeat group),
arrives once with both photos, and the form's lookups, choice filters, regex constraint and
choice names work offline."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.models import Answer, RepeatPhoto, Submission
from scpvn.assessments.publishing import close_form, publish_form
from scpvn.assessments.tests.test_xlsform_openrosa import PASSWORD, field  # noqa: F401
from scpvn.assessments.tests.xlsforms import STALLS_XLSFORM as FIXTURE
from scpvn.assessments.tests.xlsforms import workbook
from scpvn.core.tests.test_browser import ARTIFACTS, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

VAN_MIEU = {"latitude": 21.0287, "longitude": 105.8355, "accuracy": 8}


@pytest.fixture
def context():
    """A browser context that can be cut off the network and knows where the officer stands."""
    import os

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        )
        yield browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="vi-VN",
            geolocation=VAN_MIEU,
            permissions=["geolocation"],
        )
        browser.close()


def open_form(context, live_server, field, upload=None):  # noqa: F811
    """`upload` (an XLSForm file) published, or the test workbook, and opened to fill by the
    district officer; returns once the page is ready offline."""
    form = publish_form(field["agency_officer"], upload or workbook())
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, live_server, field["district_officer"].username, PASSWORD)
    page.wait_for_url("**/progress/")
    page.goto(f"{live_server.url}/assessments/forms/{form.pk}/fill/")
    # Ready offline: the service worker controls the page and the form is in its cache.
    page.locator("#xform[data-offline-ready=true]").wait_for()
    return form, page


def fill_visit(page, photo, bags: str, kg: str, queued_after: int) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Chợ Văn Miếu").check()
    page.get_by_label("Có", exact=True).check()
    page.get_by_label("Số túi đếm được").fill(bags)
    page.get_by_label("Khối lượng túi nilon (kg)").fill(kg)
    page.get_by_label("Túi vải").check()
    page.get_by_label("Tên quầy").fill("Quầy rau")
    page.get_by_role("button", name="Lấy vị trí hiện tại").click()
    # A locator wait, not wait_for_function: polling a string would need eval, which the
    # page's CSP refuses whenever the position is not there at the first look.
    expect(page.locator("input[placeholder]")).not_to_have_value("")
    page.get_by_label("Ảnh hiện trường").set_input_files(str(photo))
    page.get_by_role("button", name="Lưu bản ghi").click()
    page.get_by_text(f"Bản ghi chờ gửi trên máy: {queued_after}").wait_for()
    # A fresh form for the next visit.
    assert page.get_by_label("Số túi đếm được").input_value() == ""


def queued(page) -> int:
    return page.locator("#queue-list li").count()


def test_two_visits_filled_offline_arrive_once_when_the_network_returns(
    context,
    live_server,
    field,  # noqa: F811
    tmp_path,
):
    photo = tmp_path / "cho.png"
    photo.write_bytes(sample_photo())
    form, page = open_form(context, live_server, field)

    context.set_offline(True)
    page.reload()  # the page itself now comes from the device
    page.get_by_label("Số túi đếm được").wait_for(state="attached")
    fill_visit(page, photo, "42", "1.5", queued_after=1)
    fill_visit(page, photo, "7", "0.25", queued_after=2)
    assert queued(page) == 2
    assert Submission.objects.count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "offline-form-queued.png"), full_page=True)

    context.set_offline(False)
    page.get_by_text("Không còn bản ghi nào chờ gửi.").wait_for()
    # Sending again (another tab, a retry) stores nothing twice.
    page.get_by_role("button", name="Gửi ngay").click()
    page.get_by_text("Không còn bản ghi nào chờ gửi.").wait_for()

    submissions = list(Submission.objects.filter(form=form).order_by("pk"))
    assert len(submissions) == 2
    assert len({s.instance_id for s in submissions}) == 2
    assert all(s.instance_id.startswith("uuid:") for s in submissions)
    assert [float(s.latitude) for s in submissions] == [21.0287, 21.0287]
    assert [float(s.longitude) for s in submissions] == [105.8355, 105.8355]
    counted = sorted(
        Answer.objects.filter(
            response__submission__in=submissions, question__code="so_tui"
        ).values_list("number", flat=True)
    )
    assert counted == [7, 42]
    photos = Answer.objects.filter(response__submission__in=submissions, question__code="anh")
    assert photos.count() == 2 and all(a.photo.name for a in photos)
    assert {s.response.place_id for s in submissions} == {field["market"].pk}


def test_a_visit_the_server_refuses_stays_on_the_device_with_the_reason(
    context,
    live_server,
    field,  # noqa: F811
    tmp_path,
):
    photo = tmp_path / "cho.png"
    photo.write_bytes(sample_photo())
    form, page = open_form(context, live_server, field)

    context.set_offline(True)
    fill_visit(page, photo, "42", "1.5", queued_after=1)
    close_form(field["agency_officer"], form)  # the department closes the version meanwhile
    context.set_offline(False)

    page.locator("#queue-list li .text-danger").wait_for()
    assert "đã ngừng nhận bản gửi" in page.locator("#queue-list").inner_text()
    assert queued(page) == 1
    assert Submission.objects.count() == 0
    # Still there after a reload: the queue lives on the device, not in the page.
    page.reload()
    page.locator("#queue-list li").wait_for()
    assert queued(page) == 1


def test_a_visit_to_two_stalls_with_a_photo_each_arrives_once_with_both_photos(
    context,
    live_server,
    field,  # noqa: F811
    tmp_path,
):
    market = field["market"]
    market.address = "Số 2 phố Văn Miếu"
    market.save()
    photos = [tmp_path / "quay-ca.png", tmp_path / "quay-gao.png"]
    photos[0].write_bytes(sample_photo())
    red = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 10, 10)).save(red, format="PNG")
    photos[1].write_bytes(red.getvalue())
    fixture = SimpleUploadedFile(FIXTURE.name, FIXTURE.read_bytes())
    form, page = open_form(context, live_server, field, fixture)

    context.set_offline(True)
    page.reload()
    page.get_by_label("Tên quầy").wait_for(state="attached")
    page.get_by_label("Chợ Văn Miếu").check()
    page.get_by_label("Khu B — thực phẩm tươi sống").check()
    page.get_by_label("Điện thoại ban quản lý chợ").fill("12345")
    stalls = page.locator("#xform-body .card")
    first = stalls.nth(0)
    first.get_by_label("Tên quầy").fill("Quầy cá bà Tư")
    first.get_by_label("Hàng tươi").check()
    # The choice filter (loai = current()/../loai_quay) offers this stall's goods only.
    assert first.get_by_label("Gạo").count() == 0
    first.get_by_label("Cá", exact=True).check()
    first.get_by_label("Có", exact=True).check()
    first.get_by_label("Số hộp xốp thấy tại quầy").fill("4")
    first.get_by_label("Ảnh quầy").set_input_files(str(photos[0]))
    page.get_by_role("button", name="Thêm").click()
    second = stalls.nth(1)
    second.get_by_label("Tên quầy").fill("Quầy gạo")
    second.get_by_label("Hàng khô").check()
    assert second.get_by_label("Cá", exact=True).count() == 0
    second.get_by_label("Gạo").check()
    second.get_by_label("Không", exact=True).check()
    # ../hop_xop: the count shows for the stall that uses foam boxes only.
    assert second.get_by_label("Số hộp xốp thấy tại quầy").is_hidden()
    assert first.get_by_label("Số hộp xốp thấy tại quầy").is_visible()
    second.get_by_label("Ảnh quầy").set_input_files(str(photos[1]))

    page.get_by_role("button", name="Lưu bản ghi").click()
    # regex(., '^0[0-9]{9}$') refuses the number, with the form's own message.
    page.get_by_text("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0").wait_for()
    assert queued(page) == 0
    page.get_by_label("Điện thoại ban quản lý chợ").fill("0912345678")
    page.get_by_role("button", name="Lưu bản ghi").click()
    page.get_by_text("Bản ghi chờ gửi trên máy: 1").wait_for()
    assert "2 ảnh" in page.locator("#queue-list").inner_text()
    assert Submission.objects.count() == 0

    context.set_offline(False)
    page.get_by_text("Không còn bản ghi nào chờ gửi.").wait_for()
    page.get_by_role("button", name="Gửi ngay").click()
    page.get_by_text("Không còn bản ghi nào chờ gửi.").wait_for()

    visit = Submission.objects.get(form=form)
    answers = {a.question.code: a for a in visit.response.answers.all()}
    assert answers["dia_chi"].text == "Số 2 phố Văn Miếu"  # instance('places')/root/item[…]
    assert answers["ten_khu"].text == "Khu B — thực phẩm tươi sống"  # jr:choice-name
    rows = json.loads(answers["quay"].text)
    assert [(r["ten_quay"], r["mat_hang"], r["ten_mat_hang"], r["so_hop"]) for r in rows] == [
        ("Quầy cá bà Tư", "ca", "Cá", "4"),
        ("Quầy gạo", "gao", "Gạo", ""),
    ]
    stored = list(RepeatPhoto.objects.filter(answer=answers["quay"]).order_by("position"))
    assert [(p.position, p.path) for p in stored] == [
        (1, "/data/quay[1]/anh_quay"),
        (2, "/data/quay[2]/anh_quay"),
    ]
    assert [p.photo.read() for p in stored] == [photos[0].read_bytes(), photos[1].read_bytes()]
