"""The portal in a real browser: no sign-in, both languages, and an automated WCAG 2.1 AA
check (axe-core) on each page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from scpvn.core.tests.test_browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def some_public_data(plan) -> None:
    """An approved activity, an upcoming fair and a certified point, so every widget shows."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from scpvn.fairs.models import FairEvent
    from scpvn.geo.models import District
    from scpvn.greenpoints import services as greenpoints
    from scpvn.greenpoints.models import Criterion, GreenField, GreenPoint
    from scpvn.orgs.models import Agency, User
    from scpvn.outreach.models import MediaItem
    from scpvn.outreach.services import media
    from scpvn.registry.models import Enterprise

    today, sct = timezone.localdate(), Agency.objects.get(code="SCT")
    district = District.objects.get(code="006")
    officer = User.objects.create(username="assessor", role="city_admin")
    media.save_media_item(
        officer,
        MediaItem(
            kind="article",
            title="Tiêu dùng xanh",
            outlet="Báo Hà Nội mới",
            date=dt.date(2020, 8, 1),
            link="https://example.vn/a",
            agency=sct,
            deliverable=plan.tasks.get(number=1).deliverables.get(code="1.1"),
        ),
    )
    FairEvent.objects.create(
        name="Phiên kết nối làng nghề",
        venue="Giảng Võ",
        district=district,
        agency=sct,
        start_date=today + dt.timedelta(days=5),
        end_date=today + dt.timedelta(days=7),
        capacity=60,
    )
    field = GreenField.objects.create(name="Thiết bị giáo dục", pass_score=5)
    criterion = Criterion.objects.create(field=field, order=1, text="An toàn", max_score=10)
    point = GreenPoint.objects.create(
        enterprise=Enterprise.objects.create(
            tax_code="0100109106", name="Công ty Giáo dục Xanh", district=district, vsic_code="4761"
        ),
        field=field,
        name="Thiết bị giáo dục xanh Đống Đa",
        address="1 Tây Sơn",
        district=district,
        evidence=ContentFile(b"x", name="e.pdf"),
    )
    greenpoints.assess(
        officer,
        point,
        date=today,
        scores={criterion.pk: 9},
    )
    greenpoints.certify(officer, point, on=today)


def test_visitor_reads_progress_switches_language_and_looks_up(page, live_server, hanoi_plan):
    some_public_data(hanoi_plan)
    page.goto(f"{live_server.url}/")
    page.get_by_role("heading", name="Tiến độ theo nhiệm vụ").wait_for()
    assert "96/KH-UBND" in page.content() and "Phiên kết nối làng nghề" in page.content()
    assert page.get_by_role("img", name="Bản đồ điểm kinh doanh xanh theo quận, huyện").count() == 1
    for path in ("/public/", "/public/green-points/", "/public/data/", "/public/lookup/?code=123"):
        page.goto(f"{live_server.url}{path}")
        assert serious_violations(page) == [], path
    page.goto(f"{live_server.url}/public/")
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Progress by task").wait_for()
    assert serious_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "portal-en.png"), full_page=True)
    page.get_by_label("Product code (GTIN)").fill("8934588012228")
    with page.expect_request(f"{live_server.url}/01/08934588012228"):
        page.get_by_role("button", name="Look up").click()
