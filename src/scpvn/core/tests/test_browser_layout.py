"""The first hour: the staff menu is one line at 1280 px in both languages, no page is
wider than the window, and an enterprise user lands on its workspace."""

import pytest

from scpvn.core.tests.test_browser import ARTIFACTS, login, page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The outermost elements that stick out of the window, to name them when a page is too wide.
WIDEST = """[...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(e => !(e.parentElement.getBoundingClientRect().right > window.innerWidth + 0.5))
  .slice(0, 5).map(e => e.tagName + "." + e.className + " " + e.getBoundingClientRect().right)"""

TABLES_IN_BOXES = """[...document.querySelectorAll("main table.table")]
  .every(t => t.closest(".table-responsive"))"""

MAIN_PAGES = [
    "/progress/",
    "/plans/",
    "/progress/activities/",
    "/reports/",
    "/registry/",
    "/assessments/",
    "/indicators/",
    "/trace/",
    "/network/",
    "/audit/",
]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_menu_is_one_line_and_pages_fit_the_window(page, live_server, hanoi_plan, language):  # noqa: F811
    from scpvn.conftest import make_user
    from scpvn.orgs.models import Agency

    page.set_viewport_size({"width": 1280, "height": 800})
    make_user("quantri", "city_admin", Agency.objects.get(code="SCT"))
    login(page, live_server, "quantri", "x-test-password-1")
    page.wait_for_url("**/progress/")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    for path in [*MAIN_PAGES, f"/plans/{hanoi_plan.pk}/", "/public/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        brand = page.locator(".navbar-brand").bounding_box()
        nav = page.locator("nav.navbar").bounding_box()
        assert nav["height"] < brand["height"] + 30, f"{path}: menu wraps ({nav['height']} px)"
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (path, widths, page.evaluate(WIDEST))
        assert page.evaluate(TABLES_IN_BOXES), f"{path}: a table could widen the page"
    page.goto(f"{live_server.url}/progress/")
    page.screenshot(path=str(ARTIFACTS / f"menu-1280-{language}.png"))


def test_enterprise_user_lands_on_its_workspace(page, live_server, mini_plan):  # noqa: F811
    from scpvn.conftest import make_user
    from scpvn.geo.models import District
    from scpvn.geo.services import load_reference_data as load_geo
    from scpvn.registry.models import Enterprise
    from scpvn.registry.services import load_reference_data as load_registry

    load_geo()  # a transactional test may start on a flushed database
    load_registry()
    user = make_user("doanhnghiep", "enterprise_user")
    Enterprise.objects.create(
        tax_code="0100109106",
        name="Công ty Rau Sạch Xanh",
        district=District.objects.get(code="006"),
        vsic_code="47111",
    ).members.add(user)
    login(page, live_server, "doanhnghiep", "x-test-password-1")
    page.wait_for_url("**/registry/workspace/")
    assert page.get_by_role("heading", name="Trang của tôi").count() == 1
    assert page.get_by_role("link", name="Công ty Rau Sạch Xanh").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "enterprise-workspace.png"), full_page=True)
