"""A shopper scans a QR code: the consumer page on a phone, in Debian's Chromium."""

import pytest

from scpvn.core.tests.test_browser import ARTIFACTS, page  # noqa: F401  (Playwright fixture)
from scpvn.network.tests.fixtures import reference_data  # noqa: F401  (pytest fixture)
from scpvn.trace.models import ProblemReport, Product
from scpvn.trace.tests.factories import GTIN, harvested_lot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_consumer_page_on_a_phone(page, live_server, enterprise):  # noqa: F811
    lot = harvested_lot(enterprise)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/01/{GTIN}/10/{lot.code}")
    assert page.get_by_role("heading", level=1).inner_text() == "Rau muống VietGAP"
    steps = page.get_by_test_id("timeline").locator("li")
    assert steps.count() == 3
    assert "Thu hoạch" in steps.nth(0).inner_text() and "Nhận hàng" in steps.nth(2).inner_text()
    assert page.locator("svg[role=img] circle").count() > 30  # districts and the journey's places
    # Mobile-first: nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "trace-consumer-phone.png"), full_page=True)
    page.get_by_label("Nội dung phản ánh").fill("Bao bì bị rách")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.get_by_role("status").wait_for(state="visible")
    assert "Cảm ơn" in page.get_by_role("status").inner_text()
    assert ProblemReport.objects.get().message == "Bao bì bị rách"


def test_the_tax_code_box_suggests_enterprises_as_one_types(
    reference_data,  # noqa: F811
    page,  # noqa: F811
    live_server,
    users,
    enterprise,
    monkeypatch,
):
    """An officer who sees many enterprises types part of a name; the registry's API
    answers with the matching ones, offered by their tax code (app.js, data-suggest)."""
    from scpvn.core import choosers
    from scpvn.core.tests.test_browser import login

    monkeypatch.setattr(choosers, "LIST_LIMIT", 0)
    login(page, live_server, "admin", "x-test-password-1")
    page.goto(f"{live_server.url}/trace/products/add/")
    page.get_by_label("Doanh nghiệp").fill("Rau sạch")
    suggestions = page.locator("datalist option")
    suggestions.first.wait_for(state="attached")
    assert suggestions.evaluate_all("options => options.map(o => o.value)") == [enterprise.tax_code]
    page.get_by_label("GTIN").fill("8930001001015")
    page.get_by_label("Tên sản phẩm").fill("Rau muống")
    page.get_by_label("Doanh nghiệp").fill(enterprise.tax_code)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(lambda url: "/products/add/" not in url)
    assert Product.objects.get().enterprise == enterprise
