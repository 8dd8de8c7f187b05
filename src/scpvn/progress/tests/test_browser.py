"""Real browser: an agency officer records and submits an activity, a reviewer approves it,
and the dashboard counts it."""

import pytest

from scpvn.core.tests.test_browser import ARTIFACTS, login, page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_submits_and_reviewer_approves(page, live_server, mini_plan):  # noqa: F811
    from scpvn.conftest import make_user
    from scpvn.orgs.models import Agency
    from scpvn.progress.models import Activity

    sct = Agency.objects.get(code="SCT")
    make_user("canbo", "agency_officer", sct)
    make_user("lanhdao", "reviewer", sct)
    login(page, live_server, "canbo", "x-test-password-1")
    page.wait_for_url("**/progress/")
    page.get_by_role("button", name="Kế hoạch").click()  # the menu's group opens
    page.get_by_role("link", name="Hoạt động", exact=True).click()
    page.get_by_role("link", name="Ghi nhận hoạt động").click()
    page.get_by_label("Nhiệm vụ", exact=True).select_option(label="1. Tuyên truyền")
    page.get_by_label("Sản phẩm đầu ra").select_option(label="NV1.1 — Bài viết")
    page.get_by_label("Ngày thực hiện").fill("2020-08-03")
    page.get_by_label("Số lượng").fill("3")
    page.get_by_label("Tên hoạt động").fill("Ba bài viết trên báo Hà Nội Mới")
    page.get_by_label("Tệp minh chứng").set_input_files(
        files=[
            {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
        ]
    )
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_role("button", name="Gửi duyệt").click()
    assert page.locator("#activity-status").inner_text() == "Đã gửi"
    url = page.url
    page.get_by_role("button", name="Đăng xuất").click()

    login(page, live_server, "lanhdao", "x-test-password-1")
    page.wait_for_url("**/progress/")
    page.goto(url)
    assert page.get_by_role("link", name="bien-ban.pdf").count() == 1
    page.get_by_role("button", name="Duyệt", exact=True).click()
    assert page.locator("#activity-status").inner_text() == "Đã duyệt"
    assert Activity.objects.get().status == Activity.Status.APPROVED
    page.goto(f"{live_server.url}/progress/?as_of=2020-12-31")
    assert page.get_by_role("link", name="3 / 30").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "progress-dashboard.png"), full_page=True)
