"""Real browser: Debian's Chromium driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        yield context.new_page()
        browser.close()


def login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_login_and_open_plan_page(page, live_server, hanoi_plan):
    from scpvn.conftest import make_user
    from scpvn.orgs.models import Agency

    make_user("canbo", "agency_officer", Agency.objects.get(code="SCT"))
    login(page, live_server, "canbo", "x-test-password-1")
    page.wait_for_url("**/progress/")  # staff open on the progress dashboard
    page.goto(f"{live_server.url}/plans/{hanoi_plan.pk}/")
    assert "96/KH-UBND" in page.content()
    assert page.get_by_role("link", name="Tổ chức phổ biến chuỗi kết nối", exact=False).count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-page.png"), full_page=True)
    page.get_by_role("tab", name="Chỉ tiêu").click()
    page.get_by_text("4.2.1", exact=True).wait_for(state="visible")


def test_wrong_password_shows_error(page, live_server, mini_plan):
    from scpvn.conftest import make_user

    make_user("someone", "reviewer", None)
    login(page, live_server, "someone", "wrong-password")
    assert page.get_by_role("alert").inner_text().startswith("Tên đăng nhập hoặc mật khẩu")


def test_pages_run_under_the_content_security_policy(page, live_server, hanoi_plan):
    """The CSP header must not block anything the pages need: no violation in the console,
    and the scripted parts (Bootstrap tabs) still work."""
    from scpvn.conftest import make_user
    from scpvn.orgs.models import Agency

    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    make_user("canbo", "agency_officer", Agency.objects.get(code="SCT"))
    login(page, live_server, "canbo", "x-test-password-1")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/plans/{hanoi_plan.pk}/")
    page.get_by_role("tab", name="Chỉ tiêu").click()
    page.get_by_text("4.2.1", exact=True).wait_for(state="visible")
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui").first.wait_for(state="visible")
    assert not violations, violations
