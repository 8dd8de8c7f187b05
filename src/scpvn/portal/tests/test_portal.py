"""The public portal: live progress, certified points only, look-up, open data, caching."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scpvn.fairs.models import FairApplication, FairEvent
from scpvn.geo.models import District
from scpvn.greenpoints import services as greenpoints
from scpvn.greenpoints.models import Criterion, GreenField, GreenPoint
from scpvn.orgs.models import Agency, User
from scpvn.progress.models import Activity
from scpvn.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def activity(plan, code: str, quantity: int, status: str) -> None:
    deliverable = plan.tasks.get(number=1).deliverables.get(code=code)
    Activity.objects.create(
        task=deliverable.task,
        deliverable=deliverable,
        agency=Agency.objects.get(code="SCT"),
        date=dt.date(2020, 8, 1),
        quantity=quantity,
        title="Bài viết",
        status=status,
        approved_at=timezone.now() if status == "approved" else None,
    )


def certified_point(name: str, tax_code: str, on: dt.date) -> GreenPoint:
    """A point in Đống Đa assessed and certified on `on` (its field and assessor made once)."""
    field, _new = GreenField.objects.get_or_create(
        name="Thiết bị điện, điện tử", defaults={"pass_score": 5, "validity_months": 12}
    )
    criterion, _new = Criterion.objects.get_or_create(
        field=field, order=1, defaults={"text": "Nhãn năng lượng", "max_score": 10}
    )
    assessor, _new = User.objects.get_or_create(username="assessor", role="city_admin")
    district = District.objects.get(code="006")
    enterprise = Enterprise.objects.create(
        tax_code=tax_code, name=name, district=district, vsic_code="4742"
    )
    point = GreenPoint.objects.create(
        enterprise=enterprise,
        field=field,
        name=name,
        address="1 Tây Sơn",
        district=district,
        evidence=ContentFile(b"x", name="e.pdf"),
    )
    greenpoints.assess(assessor, point, date=on, scores={criterion.pk: 8})
    greenpoints.certify(assessor, point, on=on)
    return point


@pytest.fixture
def certified(mini_plan):
    """One point with a valid certificate, one whose certificate has expired."""
    today = timezone.localdate()
    return {
        name: certified_point(name, tax_code, on)
        for name, tax_code, on in (
            ("Điện máy xanh Đống Đa", "0100109106", today - dt.timedelta(days=10)),
            ("Cửa hàng hết hạn", "0100109107", today - dt.timedelta(days=500)),
        )
    }


def upcoming_fair(
    name: str, capacity: int, allocated: list[Enterprise], submitted: list[Enterprise] = ()
) -> FairEvent:
    today = timezone.localdate()
    fair = FairEvent.objects.create(
        name=name,
        venue="Cung Văn hóa",
        district=District.objects.get(code="006"),
        agency=Agency.objects.get(code="SCT"),
        start_date=today + dt.timedelta(days=20),
        end_date=today + dt.timedelta(days=22),
        capacity=capacity,
    )
    for enterprise in allocated:
        fair.applications.create(
            enterprise=enterprise, products="Rau", status=FairApplication.Status.ALLOCATED
        )
    for enterprise in submitted:  # not given a booth yet: not counted
        fair.applications.create(enterprise=enterprise, products="Quả")
    return fair


def test_anonymous_visitor_at_the_root_lands_on_the_portal(client, mini_plan):
    answer = client.get("/", follow=True)
    assert answer.redirect_chain[-1][0] == reverse("portal:index")
    assert mini_plan.title in answer.content.decode()


def test_progress_counts_only_approved_activities(client, mini_plan):
    activity(mini_plan, "1.1", 6, "approved")
    activity(mini_plan, "1.1", 50, "submitted")
    html = client.get(reverse("portal:index")).content.decode()
    assert "20% ·" in html  # 6 of 30
    rows = client.get(reverse("portal:dataset", args=["progress", "json"])).json()
    row = next(r for r in rows["records"] if r["deliverable"] == "NV1.1")
    assert (row["done"], row["target"], row["percent"]) == (6.0, 30.0, 20)


def test_pages_are_cached(client, mini_plan):
    client.get(reverse("portal:index"))
    activity(mini_plan, "1.1", 15, "approved")
    assert "50% ·" not in client.get(reverse("portal:index")).content.decode()
    cache.clear()
    assert "50% ·" in client.get(reverse("portal:index")).content.decode()


def test_only_currently_certified_points_are_public(client, certified):
    html = client.get(reverse("portal:green-points")).content.decode()
    assert "Điện máy xanh Đống Đa" in html and "Cửa hàng hết hạn" not in html
    assert "Đống Đa (1)" in html  # on the map
    records = client.get(reverse("portal:dataset", args=["green-points", "json"])).json()["records"]
    assert [r["name"] for r in records] == ["Điện máy xanh Đống Đa"]


def test_portal_queries_do_not_grow_with_points_or_fairs(client, certified):
    """Each certified point's certificate and each fair's free booths come in one query for
    all of them: the number of queries of the portal's snapshot is the same for one point
    and one fair as for three of each."""
    enterprises = [point.enterprise for point in certified.values()]
    upcoming_fair("Hội chợ 1", 10, enterprises[:1], enterprises[1:])

    def queries() -> tuple[int, str]:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            html = client.get(reverse("portal:index")).content.decode()
        return len(captured), html

    queries()  # the indicator engine stores its values on the first visit
    few, _html = queries()
    today = timezone.localdate()
    certified_point("Siêu thị xanh", "0100109108", today - dt.timedelta(days=5))
    certified_point("Chợ xanh", "0100109109", today - dt.timedelta(days=3))
    upcoming_fair("Hội chợ 2", 8, enterprises)
    upcoming_fair("Hội chợ 3", 5, enterprises[1:], enterprises[:1])
    many, html = queries()
    assert many == few
    assert all(f"Còn {free} gian hàng" in html for free in ("9/10", "6/8", "4/5"))
    green = client.get(reverse("portal:green-points")).content.decode()
    assert "Chợ xanh" in green and "Siêu thị xanh" in green and "Đống Đa (3)" in green


def test_warm_portal_renders_its_content_once(client, mini_plan):
    """The content rendered from the snapshot is cached beside it: a warm anonymous visit asks
    the database nothing, yet each visitor still gets their own CSRF token and CSP nonce
    in the frame around it."""
    first = client.get(reverse("portal:index"))
    with CaptureQueriesContext(connection) as captured:
        again = Client().get(reverse("portal:index"))
    assert len(captured) == 0 and mini_plan.title in again.content.decode()
    nonce = re.compile(r"'nonce-([^']+)'")
    assert nonce.search(first["Content-Security-Policy"]).group(1) != nonce.search(
        again["Content-Security-Policy"]
    ).group(1)
    assert first.cookies["csrftoken"].value != again.cookies["csrftoken"].value


def test_open_data_carries_the_licence(client, mini_plan):
    answer = client.get(reverse("portal:dataset", args=["indicators", "json"]))
    assert answer.json()["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert 'rel="license"' in answer["Link"]
    csv_answer = client.get(reverse("portal:dataset", args=["progress", "csv"]))
    rows = list(csv.DictReader(io.StringIO(csv_answer.content.decode("utf-8-sig"))))
    assert [r["deliverable"] for r in rows] == ["NV1.1", "NV1.2", "NV2.1"]
    assert "CC BY 4.0" in client.get(reverse("portal:data")).content.decode()
    assert client.get(reverse("portal:dataset", args=["secrets", "json"])).status_code == 404
    assert client.get(reverse("portal:dataset", args=["progress", "xml"])).status_code == 404


def test_lookup_redirects_a_valid_gtin_and_explains_a_bad_one(client):
    answer = client.get(reverse("portal:lookup"), {"code": "893 4588 012228"})
    assert answer.status_code == 302 and answer["Location"] == "/01/08934588012228"
    bad = client.get(reverse("portal:lookup"), {"code": "8934588012229"})
    assert bad.status_code == 400 and "không phải mã sản phẩm GTIN hợp lệ" in bad.content.decode()
    short = client.get(reverse("portal:lookup"), {"code": "96385074"})
    assert short["Location"] == "/01/00000096385074"
    assert client.get(reverse("portal:lookup"), {"code": "abc"}).status_code == 400


def test_english(client, mini_plan):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Progress by task" in html


def test_signed_in_page_never_reaches_an_anonymous_visitor(client, users, mini_plan):

    client.force_login(users["reviewer"])
    assert "reviewer" in client.get(reverse("portal:index")).content.decode()
    assert "reviewer" not in Client().get(reverse("portal:index")).content.decode()


def test_indicators_show_the_engines_value(client, mini_plan, users):
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from scpvn.indicators.services import enter_manual_value

    cache.clear()
    indicator = mini_plan.indicators.get(code="4.1")
    indicator.method = {"kind": "manual", "description": "Nhập tay", "params": {}}
    indicator.save()
    enter_manual_value(
        indicator=indicator,
        period_code="2020",
        value=Decimal("37.5"),
        source_title="Điều tra năm 2020",
        source_document=SimpleUploadedFile("nguon.pdf", b"%PDF-1.4\n%%EOF\n"),
        user=users["city_admin"],
    )
    records = client.get(reverse("portal:dataset", args=["indicators", "json"])).json()["records"]
    by_code = {r["code"]: r for r in records}
    assert by_code["4.1"]["value"] == 37.5 and by_code["4.1"]["period"] == "2020"
    assert by_code["4.2.1"]["value"] is None
    assert "37,5 %" in client.get(reverse("portal:index")).content.decode()


def test_certified_points_are_those_valid_on_the_app_clock(client, certified, settings):
    """With SCPVN_TODAY 400 days back, the point certified 500 days ago is still valid and the
    one certified 10 days ago is not yet: the portal follows the app clock, not the wall clock."""
    settings.SCPVN_TODAY = (timezone.localdate() - dt.timedelta(days=400)).isoformat()
    cache.clear()
    html = client.get(reverse("portal:green-points")).content.decode()
    assert "Cửa hàng hết hạn" in html and "Điện máy xanh Đống Đa" not in html
    records = client.get(reverse("portal:dataset", args=["green-points", "json"])).json()["records"]
    assert [r["name"] for r in records] == ["Cửa hàng hết hạn"]


def test_open_data_csv_neutralises_formulas(client, certified):
    point = certified["Điện máy xanh Đống Đa"]
    point.address = '=HYPERLINK("http://evil.example","bấm")'
    point.save()
    cache.clear()
    answer = client.get(reverse("portal:dataset", args=["green-points", "csv"]))
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0]["address"] == "'" + point.address
