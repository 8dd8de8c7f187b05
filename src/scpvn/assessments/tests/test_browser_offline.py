"""Real browser, no network: an officer opens a published XLSForm in the browser, the
connection drops, two market visits are filled with photos and GPS and kept on the device, and
when the connection returns both reach the server once. A visit the server refuses stays on the
device with the server's reason."""

import pytest

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.models import Answer, Submission
from scpvn.assessments.publishing import close_form, publish_form
from scpvn.assessments.tests.test_xlsform_openrosa import PASSWORD, field  # noqa: F401
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


def open_form(context, live_server, field):  # noqa: F811
    form = publish_form(field["agency_officer"], workbook())
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, live_server, field["district_officer"].username, PASSWORD)
    page.wait_for_url("**/progress/")
    page.goto(f"{live_server.url}/assessments/forms/{form.pk}/fill/")
    # Ready offline: the service worker controls the page and the form is in its cache.
    page.locator("#xform[data-offline-ready=true]").wait_for()
    return form, page


def fill_visit(page, photo, bags: str, kg: str, queued_after: int) -> None:
    page.get_by_label("Chợ Văn Miếu").check()
    page.get_by_label("Có", exact=True).check()
    page.get_by_label("Số túi đếm được").fill(bags)
    page.get_by_label("Khối lượng túi nilon (kg)").fill(kg)
    page.get_by_label("Túi vải").check()
    page.get_by_label("Tên quầy").fill("Quầy rau")
    page.get_by_role("button", name="Lấy vị trí hiện tại").click()
    page.wait_for_function("document.querySelector('input[placeholder]').value !== ''")
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
