"""Indicator pages and API over a small computed dataset; manual values with their source."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scpvn.indicators.models import ManualValue
from scpvn.indicators.services import compute_plan
from scpvn.indicators.tests.test_engine import answer, enterprise, officer  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(hanoi_plan, officer):  # noqa: F811
    e1 = enterprise("E1", "006", distribution="supermarket")
    e2 = enterprise("E2", "001", distribution="wholesaler")
    first = answer(officer, "SXSH-PP", e1, "2020-03-01", muc_do="ap_dung")
    answer(officer, "SXSH-PP", e2, "2020-04-01", muc_do="chua_biet")
    compute_plan(hanoi_plan)
    return {"plan": hanoi_plan, "first": first}


def test_dashboard_detail_map_and_provenance(client, computed, officer):  # noqa: F811
    client.force_login(officer)
    plan = computed["plan"]
    dashboard = client.get(reverse("indicators:dashboard") + "?period=2020")
    assert dashboard.status_code == 200
    card = dashboard.context["cards"][0]
    assert (card["indicator"].code, card["value"].value) == ("4.1", Decimal("50.00"))
    assert card["trend"]["values"][2] == 50.0  # March: E1 only, of the 2 registered
    assert 'data-indicator="4.1"' in dashboard.text
    indicator = plan.indicators.get(code="4.1")
    detail = client.get(reverse("indicators:detail", args=[indicator.pk]) + "?period=2020-H1")
    assert detail.text.count('class="district"') == 30
    assert "Độ bao phủ: 2/2 (100 %) · chia cho tổng số đối tượng trong sổ" in detail.text
    rows = {v.district.code: v for v in detail.context["districts"]}
    assert (rows["006"].value, rows["001"].value) == (Decimal("100.00"), Decimal("0.00"))
    assert 'fill="#1a9850"' in detail.text and 'fill="#d73027"' in detail.text
    provenance = client.get(reverse("indicators:provenance", args=[indicator.pk, "2020-H1", "006"]))
    assert [r.response_id for r in provenance.context["records"]] == [computed["first"].pk]
    assert reverse("assessments:response_detail", args=[computed["first"].pk]) in provenance.text
    assert (
        client.get(reverse("indicators:detail", args=[indicator.pk]) + "?period=20").status_code
        == 404
    )


def test_manual_value_page_with_source_document(client, computed, users):
    indicator = computed["plan"].indicators.get(code="5.2.1")
    url = reverse("indicators:manual", args=[indicator.pk])
    client.force_login(users["reviewer"])
    form = {
        "period": "2020",
        "value": "96,5",
        "source_title": "Báo cáo Sở Xây dựng số 12/BC-SXD",
        "source_document": SimpleUploadedFile("bc.pdf", b"%PDF-1.4 bao cao"),
    }
    assert client.post(url, form).status_code == 403
    client.force_login(users["agency_officer"])
    form["source_document"].seek(0)
    response = client.post(url, form, follow=True)
    assert "Đã ghi giá trị" in response.text
    manual = ManualValue.objects.get()
    assert manual.value == Decimal("96.5")
    stored = client.get(
        reverse("indicator-value-list") + "?indicator=5.2.1&period=2020&city=true"
    ).json()
    assert [r["value"] for r in stored["results"]] == [96.5]
    document = client.get(reverse("indicators:source_document", args=[manual.pk]))
    assert b"".join(document.streaming_content) == b"%PDF-1.4 bao cao"
    client.force_login(users["enterprise_user"])
    assert client.get(reverse("indicators:source_document", args=[manual.pk])).status_code == 403
    # a bad period is refused with nothing written
    client.force_login(users["agency_officer"])
    form["period"], form["source_document"] = "2020-Q9", SimpleUploadedFile("x.pdf", b"%PDF-1")
    assert "kỳ không hợp lệ" in client.post(url, form).text
    # a document that is not what its name says is refused (core.files)
    form["period"], form["source_document"] = "2020", SimpleUploadedFile("x.pdf", b"x")
    assert "không được chấp nhận" in client.post(url, form).text
    assert ManualValue.objects.count() == 1
