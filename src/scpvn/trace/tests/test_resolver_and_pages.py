"""The Digital Link resolver, QR labels, the enterprise forms and CSV, and indicator 4.4.2."""

import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from PIL import Image

from scpvn.core.tests.poppler import assert_one_serif_family
from scpvn.trace.capture import traceable_enterprise_ids
from scpvn.trace.models import Event, Lot, ProblemReport, Product
from scpvn.trace.tests.factories import (
    GLN_FARM,
    GTIN,
    OTHER_GTIN,
    harvested_lot,
    location_for,
    other_enterprise,
    product_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(enterprise) -> Lot:
    return harvested_lot(enterprise)


def test_consumer_page_for_a_lot_tells_the_journey(client, lot):
    response = client.get(f"/01/{GTIN}/10/{lot.code}")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Rau muống VietGAP", "HTX Rau sạch Đống Đa", "VietGAP", "Thu hoạch", "Xuất hàng", "Nhận hàng",
                 "Chợ Long Biên", "<svg", 'name="message"'):  # fmt: skip
        assert text in html, text
    assert html.index("Thu hoạch") < html.index("Xuất hàng") < html.index("Nhận hàng")


@pytest.mark.parametrize("path", [f"/01/{GTIN}", f"/01/{GTIN[1:]}"])
def test_consumer_page_for_the_product(client, lot, path):
    assert client.get(path).status_code == 200


def test_serial_page(client, lot):
    lot.product.items.create(serial="S-9", lot=lot)
    response = client.get(f"/01/{GTIN}/21/S-9")
    assert response.status_code == 200 and "Thu hoạch" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/01/{GTIN[:-1]}6", 400),  # wrong check digit
        ("/01/123", 400),  # wrong length
        (f"/01/{OTHER_GTIN}", 404),  # valid but unknown
        ("/01/0893000100101A", 400),  # letters in the GTIN
        (f"/01/{GTIN}/10/{'L' * 21}", 400),  # lot longer than AI (10) allows
        (f"/01/{GTIN}/foo", 400),  # unknown trailing segment
    ],
)
def test_resolver_errors_are_pages_not_500(client, lot, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert "text/html" in response["Content-Type"] and str(status) in response.content.decode()


def test_linkset(client, lot):
    response = client.get(f"/01/{GTIN}/10/{lot.code}", HTTP_ACCEPT="application/linkset+json")
    assert response.status_code == 200 and response["Content-Type"] == "application/linkset+json"
    links = response.json()["linkset"][0]
    assert links["anchor"].endswith(f"/01/{GTIN}/10/{lot.code}")
    assert links["https://gs1.org/voc/pip"][0]["title"] == "Rau muống VietGAP"
    assert "https://gs1.org/voc/certificationInfo" in links and "https://gs1.org/voc/epcis" in links
    bad = client.get(f"/01/{GTIN[:-1]}6", HTTP_ACCEPT="application/linkset+json")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_http_caching_with_etag(client, lot, django_capture_on_commit_callbacks):
    first = client.get(f"/01/{GTIN}/10/{lot.code}")
    assert first["ETag"] and "max-age" in first["Cache-Control"]
    again = client.get(f"/01/{GTIN}/10/{lot.code}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    from decimal import Decimal

    from scpvn.trace.simple_events import SimpleEvent, record_simple_events

    sale = SimpleEvent(
        "sale", lot, location_for(lot.product.enterprise), timezone.now(), Decimal(5)
    )
    with django_capture_on_commit_callbacks(execute=True):  # the capture retires cached pages
        record_simple_events([sale], None)
    changed = client.get(f"/01/{GTIN}/10/{lot.code}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (
        changed.status_code == 200
        and changed["ETag"] != first["ETag"]
        and "Bán lẻ" in changed.content.decode()
    )


def test_a_generation_the_cache_lost_never_revives_an_old_page(
    client, lot, django_capture_on_commit_callbacks
):
    """A capture retires the pages of its GTIN by bumping the GTIN's generation; when the
    cache then loses that generation (evicted under memory pressure), the page remembered
    before the capture must not come back as a 304."""
    from decimal import Decimal

    from django.core.cache import cache

    from scpvn.trace.simple_events import SimpleEvent, record_simple_events

    first = client.get(f"/01/{GTIN}/10/{lot.code}")
    sale = SimpleEvent(
        "sale", lot, location_for(lot.product.enterprise), timezone.now(), Decimal(5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_simple_events([sale], None)
    cache.delete(f"trace:gen:{GTIN}")
    changed = client.get(f"/01/{GTIN}/10/{lot.code}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "Bán lẻ" in changed.content.decode()


def test_revalidation_asks_the_database_nothing(client, lot):
    """A phone revalidating the page it has gets its 304 from the cache alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(f"/01/{GTIN}/10/{lot.code}")
    with CaptureQueriesContext(connection) as captured:
        again = client.get(f"/01/{GTIN}/10/{lot.code}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and len(captured) == 0


def test_another_phone_gets_the_page_content_from_the_cache_with_its_own_token(client, lot):
    """The page's content is remembered with its version: a second phone's first visit asks
    the database nothing, yet its form carries its own CSRF token and the page its own CSP
    nonce (a page replayed whole would carry the first phone's)."""
    import re

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    first = client.get(f"/01/{GTIN}/10/{lot.code}")
    with CaptureQueriesContext(connection) as captured:
        second = Client().get(f"/01/{GTIN}/10/{lot.code}")
    assert second.status_code == 200 and len(captured) == 0
    assert second.content.decode().count("Thu hoạch") == first.content.decode().count("Thu hoạch")
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    nonce = re.compile(r"'nonce-([^']+)'")
    assert (
        nonce.search(first["Content-Security-Policy"])[1]
        != nonce.search(second["Content-Security-Policy"])[1]
    )


def test_problem_report(client, lot):
    response = client.post(
        f"/01/{GTIN}/10/{lot.code}", {"message": "Rau bị dập, có mùi lạ", "contact": ""}
    )
    assert response.status_code == 302 and response["Location"].endswith("?reported=1")
    report = ProblemReport.objects.get()
    assert report.product == lot.product and report.lot_code == lot.code
    assert "Cảm ơn" in client.get(response["Location"]).content.decode()
    empty = client.post(f"/01/{GTIN}/10/{lot.code}", {"message": ""})
    assert empty.status_code == 400 and ProblemReport.objects.count() == 1


def test_qr_svg_and_png(client, lot):
    svg = client.get(f"/trace/qr/svg/01/{GTIN}/10/{lot.code}")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)
    assert root.tag.endswith("svg") and root.find(".//{http://www.w3.org/2000/svg}path") is not None
    png = client.get(f"/trace/qr/png/01/{GTIN}/10/{lot.code}")
    image = Image.open(io.BytesIO(png.content))
    assert image.format == "PNG" and image.size[0] == image.size[1] >= 21 * 8
    assert client.get(f"/trace/qr/svg/01/{GTIN[:-1]}6").status_code == 400


def test_label_sheet_pdf(client, enterprise_user, lot):
    client.force_login(enterprise_user)
    response = client.get(f"/trace/lots/{lot.pk}/labels.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    assert len(response.content) > 5000
    assert_one_serif_family(response.content)


def test_traceable_enterprises_for_indicator_4_4(lot, enterprise):
    product_for(other_enterprise(), OTHER_GTIN, "Sản phẩm chưa có sự kiện")
    assert traceable_enterprise_ids() == {enterprise.pk}
    assert traceable_enterprise_ids(dt.date(2000, 1, 1)) == set()
    assert traceable_enterprise_ids(timezone.localdate()) == {enterprise.pk}


def test_enterprise_registers_a_product_with_check_digit(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    bad = client.post(
        "/trace/products/add/",
        {"gtin": "8930001001016", "name": "Rau", "enterprise": enterprise.pk, "unit": "kg"},
    )
    assert (
        bad.status_code == 200
        and "check digit" in bad.content.decode()
        and not Product.objects.exists()
    )
    foreign = client.post(
        "/trace/products/add/",
        {"gtin": "8930001001015", "name": "Rau", "enterprise": other_enterprise().pk, "unit": "kg"},
    )
    assert foreign.status_code == 200 and not Product.objects.exists()
    good = client.post(
        "/trace/products/add/",
        {"gtin": "8930001001015", "name": "Rau", "enterprise": enterprise.pk, "unit": "kg"},
    )
    assert good.status_code == 302 and Product.objects.get().gtin == GTIN


def test_simple_form_records_a_standard_event(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    product, farm = product_for(enterprise), location_for(enterprise)
    lot = Lot.objects.create(product=product, code="F1")
    response = client.post(
        "/trace/record/",
        {
            "step": "harvest",
            "lot": lot.pk,
            "quantity": "12,5".replace(",", "."),
            "location": farm.pk,
            "when": "2026-03-01T06:00",
        },
    )
    assert response.status_code == 302, response.content
    event = Event.objects.get()
    assert (
        event.biz_step == "commissioning"
        and event.action == "ADD"
        and event.read_point.endswith(GLN_FARM)
    )
    assert event.document["quantityList"][0]["epcClass"] == lot.uri


def test_a_step_is_recorded_from_the_label_and_the_gln_once_the_lists_are_long(
    client, enterprise_user, enterprise, monkeypatch
):
    """Past `LIST_LIMIT` the form asks for the lot's label (its QR code's Digital Link, or
    GTIN and lot code) and the place's GLN: 4,012 lots made the page 565 kB and 1.5 s."""
    from scpvn.core import choosers
    from scpvn.trace.choosers import read_lot_label
    from scpvn.trace.identifiers import InvalidIdentifier

    monkeypatch.setattr(choosers, "LIST_LIMIT", 0)
    client.force_login(enterprise_user)
    product, farm = product_for(enterprise), location_for(enterprise)
    lot = Lot.objects.create(product=product, code="F 1/2")
    page = client.get("/trace/record/").content.decode()
    assert f'<option value="{lot.pk}"' not in page and farm.name not in page
    step = {"step": "harvest", "quantity": "12.5", "location": farm.gln, "when": "2026-03-01T06:00"}
    unknown = client.post("/trace/record/", {**step, "lot": f"{GTIN} F9"})
    assert unknown.status_code == 200 and not Event.objects.exists()
    assert f"Không có lô F9 của GTIN {GTIN} trong phạm vi của bạn." in unknown.content.decode()
    scanned = f"https://id.example.vn/01/{GTIN}/10/F%201%2F2?linkType=gs1:pip"
    made = client.post("/trace/record/", {**step, "lot": scanned})
    assert made.status_code == 302, made.content
    assert Event.objects.get().document["quantityList"][0]["epcClass"] == lot.uri
    for typed in (f"{GTIN[1:]} F 1/2", f"{GTIN}/F 1/2", f" {GTIN}  F 1/2 "):
        assert read_lot_label(typed) == (GTIN, "F 1/2")
    with pytest.raises(InvalidIdentifier):
        read_lot_label(GTIN)


CSV_GOOD = (
    "buoc,gtin,so_lo,so_luong,gln,thoi_gian,gln_nhan,so_lo_dau_ra,gtin_dau_ra,ghi_chu\n"
    f"thu_hoach,{GTIN},C1,50,{GLN_FARM},2026-03-01 06:00,,,,\n"
    f"xuat_hang,{GTIN},C1,50,{GLN_FARM},2026-03-01 09:00,{GLN_FARM},,,giao chợ\n"
)


def test_csv_upload(client, enterprise_user, enterprise):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(enterprise_user)
    product_for(enterprise), location_for(enterprise)
    response = client.post(
        "/trace/upload/", {"file": SimpleUploadedFile("a.csv", CSV_GOOD.encode())}
    )
    assert response.status_code == 302
    assert list(Event.objects.order_by("event_time").values_list("biz_step", flat=True)) == [
        "commissioning",
        "shipping",
    ]


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (f"thu_hoach,{GTIN[:-1]}6,C2,5,{GLN_FARM},2026-03-01 06:00,,,,", "check digit"),
        (f"nau_an,{GTIN},C2,5,{GLN_FARM},2026-03-01 06:00,,,,", "Dòng 4"),
        (f"thu_hoach,{GTIN},C2,5,{GLN_FARM},hôm qua,,,,", "thời gian"),
        (f"thu_hoach,{GTIN},C2,5,8930001009991,2026-03-01 06:00,,,,", "GLN"),
    ],
)
def test_csv_with_a_bad_row_stores_nothing(client, enterprise_user, enterprise, bad_line, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(enterprise_user)
    product_for(enterprise), location_for(enterprise)
    data = CSV_GOOD + bad_line + "\n"
    response = client.post("/trace/upload/", {"file": SimpleUploadedFile("a.csv", data.encode())})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Event.objects.exists() and not Lot.objects.exists()


def test_enterprise_cannot_record_at_someone_elses_place(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    market = location_for(other_enterprise(), "8930001000070", "Chợ")
    lot = Lot.objects.create(product=product_for(other_enterprise(), OTHER_GTIN, "Cá"), code="X")
    response = client.post(
        "/trace/record/",
        {"step": "receiving", "lot": lot.pk, "location": market.pk, "when": "2026-03-01T06:00"},
    )
    assert response.status_code == 200 and not Event.objects.exists()


def test_journey_shows_certifications_valid_on_the_app_clock(lot, settings):
    """A certification issued in 2024 is not yet valid when SCPVN_TODAY pins 2020."""
    from scpvn.trace.journey import journey
    from scpvn.trace.models import Certification

    Certification.objects.create(
        product=lot.product,
        kind=Certification.Kind.OCOP,
        number="OCOP-2024",
        issuer="UBND TP",
        valid_from=dt.date(2024, 1, 1),
    )
    settings.SCPVN_TODAY = "2020-06-01"
    assert "OCOP-2024" not in [c.number for c in journey(lot.product, lot.code).certifications]
    settings.SCPVN_TODAY = "2025-06-01"
    assert "OCOP-2024" in [c.number for c in journey(lot.product, lot.code).certifications]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "Loại tệp không được chấp nhận"),
        ("a.csv", b"gtin,so_lo\n" + b"1,2\n" * 400, "Tệp quá lớn"),
    ],
)
def test_csv_upload_checks_type_by_content_and_size(
    client, enterprise_user, enterprise, settings, name, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SCPVN_IMPORT_MAX_BYTES = 1000
    client.force_login(enterprise_user)
    response = client.post("/trace/upload/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Event.objects.exists()


def test_csv_upload_stops_at_the_row_limit(client, enterprise_user, enterprise, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SCPVN_IMPORT_MAX_ROWS = 1
    client.force_login(enterprise_user)
    product_for(enterprise), location_for(enterprise)
    response = client.post(
        "/trace/upload/", {"file": SimpleUploadedFile("a.csv", CSV_GOOD.encode())}
    )
    assert response.status_code == 200 and "quá 1 dòng" in response.content.decode()
    assert not Event.objects.exists()


def test_an_officer_who_sees_many_enterprises_registers_a_product_by_tax_code(
    client, users, enterprise, monkeypatch
):
    """The product, location and green point forms listed every enterprise the user sees:
    at province size a 10 MB page that took 20 s. Past `LIST_LIMIT` the form takes a tax
    code."""
    from scpvn.core import choosers

    monkeypatch.setattr(choosers, "LIST_LIMIT", 0)
    client.force_login(users["city_admin"])
    page = client.get("/trace/products/add/").content.decode()
    assert 'data-suggest="/api/enterprises/"' in page and enterprise.name not in page
    made = client.post(
        "/trace/products/add/",
        {"gtin": "8930001001015", "name": "Rau", "enterprise": enterprise.tax_code, "unit": "kg"},
    )
    assert made.status_code == 302 and Product.objects.get().enterprise == enterprise


def test_the_consumer_page_names_the_ward_of_a_producer_registered_since_the_reform(
    client, enterprise
):
    """An enterprise registered after 1 July 2025 is on a ward and no district: the page
    said nothing of where it is."""
    from scpvn.geo.models import Ward

    lot = harvested_lot(enterprise)
    ward = Ward.objects.get(name="Phường Hoàn Kiếm").unit
    enterprise.district, enterprise.unit = None, ward
    enterprise.save()
    html = client.get(f"/01/{GTIN}/10/{lot.code}").content.decode()
    assert "Phường Hoàn Kiếm</p>" in html  # the producer's address line
