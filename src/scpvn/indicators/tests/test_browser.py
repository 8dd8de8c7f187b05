"""Real browser: indicator cards with their Chart.js trend, and the offline district map."""

import pytest

from scpvn.core.tests.test_browser import ARTIFACTS, login, page  # noqa: F401
from scpvn.indicators.services import compute_plan
from scpvn.indicators.tests.test_engine import answer, enterprise, officer  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.usefixtures("reference_data")
def test_cards_trend_and_map(page, live_server, hanoi_plan, officer):  # noqa: F811
    shop = enterprise("Siêu thị Hà Nội", "006", distribution="supermarket")
    answer(officer, "SXSH-PP", shop, "2020-05-04", muc_do="ap_dung")
    compute_plan(hanoi_plan)
    login(page, live_server, "canbo", "x-test-password-1")
    page.wait_for_url("**/progress/")  # staff land on the dashboard, then open the menu
    page.get_by_role("button", name="Doanh nghiệp").click()  # the menu's group opens
    page.get_by_role("link", name="Chỉ tiêu").first.click()
    card = page.locator('[data-indicator="4.1"]')
    assert card.locator(".indicator-value").inner_text() == "100"
    # Chart.js drew the trend (it sets the canvas' pixel size when it renders)
    page.wait_for_function("document.querySelector('canvas[data-trend]').width > 0")
    assert page.evaluate("typeof Chart") == "function"
    card.get_by_role("link", name="4.1").click()
    page.locator("svg g.district").first.wait_for()
    assert page.locator("svg g.district").count() == 30
    assert page.locator('svg g.district[data-code="006"] circle').get_attribute("fill") == "#1a9850"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "indicator-detail.png"), full_page=True)
    page.get_by_role("link", name="Dữ liệu tính ra giá trị này").click()
    assert "Siêu thị Hà Nội" in page.locator("#records").inner_text()
