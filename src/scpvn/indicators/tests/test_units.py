"""Indicators on today's map: the 2026 plan computed per commune and ward and rolled up to the
province, and 2020–2025 records read against today's units through the conversion table."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.models import Questionnaire
from scpvn.assessments.services import submit_response
from scpvn.conftest import make_user
from scpvn.core import clock
from scpvn.geo.conversion import read_against_today
from scpvn.geo.models import District, Unit, UnitSuccession, Ward
from scpvn.indicators.models import IndicatorValue
from scpvn.indicators.services import compute_indicator, goal_status, records_that_counted
from scpvn.orgs.models import Agency
from scpvn.plans.models import Indicator
from scpvn.registry.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2026(db):
    from django.conf import settings

    from scpvn.plans.planfile import read_plan_file
    from scpvn.plans.services import load_plan

    path = settings.BASE_DIR / "plans" / "hanoi-2026.yaml"
    return load_plan(read_plan_file(path)).plan


def ward(name: str) -> Unit:
    return Ward.objects.get(name=name).unit


def supermarket(name: str, unit: Unit) -> Place:
    # A place still names an old district (required by the registry); the figure reads the
    # unit, so the district chosen here must not matter: both are put in Đống Đa.
    return Place.objects.create(
        name=name, kind="supermarket", unit=unit, district=District.objects.get(code="006")
    )


def test_2026_indicator_values_per_ward_and_for_the_province(plan_2026, monkeypatch, client):
    """Three supermarkets: two in Văn Miếu - Quốc Tử Giám (one without hard-to-degrade bags,
    one with), one in Hoàn Kiếm (without). Share over the registry: Văn Miếu 1/2 = 50 %,
    Hoàn Kiếm 1/1 = 100 %, the province 2/3 = 66.67 %."""
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 31))
    officer = make_user("canbo", "city_admin", Agency.objects.get(code="UBNDTP"))
    vanmieu, hoankiem = ward("Phường Văn Miếu - Quốc Tử Giám"), ward("Phường Hoàn Kiếm")
    questionnaire = Questionnaire.objects.filter(code="NILON-ST").order_by("-version").first()
    for name, unit, uses_bags in (
        ("Siêu thị A", vanmieu, False),
        ("Siêu thị B", vanmieu, True),
        ("Siêu thị C", hoankiem, False),
    ):
        submit_response(
            questionnaire=questionnaire,
            subject=supermarket(name, unit),
            date=dt.date(2026, 3, 10),
            values={
                "dung_tui_kho_phan_huy": uses_bags,
                "anh_minh_chung": SimpleUploadedFile(
                    "a.png", sample_photo(), content_type="image/png"
                ),
            },
            user=officer,
        )
    indicator = plan_2026.indicators.get(code="6")
    assert indicator.level == Indicator.Level.COMMUNE
    compute_indicator(indicator)
    values = IndicatorValue.objects.filter(indicator=indicator, period="2026")
    by_unit = {v.unit_id: v for v in values if v.unit_id}
    assert by_unit[vanmieu.pk].value == Decimal("50.00")
    assert (by_unit[vanmieu.pk].numerator, by_unit[vanmieu.pk].denominator) == (1, 2)
    assert by_unit[hoankiem.pk].value == Decimal("100.00")
    assert not any(v.district_id for v in values)
    province = values.get(unit=None, district=None)
    assert (province.numerator, province.denominator) == (2, 3)
    assert province.value == Decimal("66.67")
    assert goal_status(indicator, province.value) == "not_reached"
    records = records_that_counted(indicator, "2026", hoankiem)
    assert [r.subject for r in records] == ["Siêu thị C"]
    # the indicator's page lists the wards (a value with no district must not break it)
    client.force_login(officer)
    page = client.get(reverse("indicators:detail", args=[indicator.pk]) + "?period=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Phường Hoàn Kiếm" in html and "Phường Văn Miếu - Quốc Tử Giám" in html
    assert reverse("indicators:provenance", args=[indicator.pk, "2026", hoankiem.code]) in html


def test_range_status_reads_the_goal(plan_2026):
    markets = plan_2026.indicators.get(target_min=70, target_max=80)
    assert goal_status(markets, Decimal(69)) == "not_reached"
    assert goal_status(markets, Decimal(75)) == "within_range"
    assert goal_status(markets, Decimal(85)) == "reached"
    assert goal_status(markets, None) is None


def test_old_records_read_against_todays_units(db):
    """A 2020 record on an old commune merged whole lands on its new ward; records on the
    old district (split among several wards) are shown as partly merged with the candidate
    wards named, not silently put on one of them."""
    hanoi_old = Unit.objects.get(level="province", code="01", valid_to__isnull=False)
    link = (
        UnitSuccession.objects.filter(
            whole=True, old__level="commune", old__parent__parent=hanoi_old
        )
        .select_related("old", "new")
        .first()
    )
    whole_old = link.old
    assert UnitSuccession.objects.filter(old=whole_old).count() == 1
    dongda = District.objects.get(code="006").unit
    today = ward("Phường Văn Miếu - Quốc Tử Giám")
    reading = read_against_today({whole_old.pk: 3, dongda.pk: 5, today.pk: 2, None: 1})
    assert reading.whole[link.new_id] == 3 + (2 if link.new_id == today.pk else 0)
    assert reading.whole[today.pk] >= 2
    [partly] = reading.partly
    assert partly.old == dongda and partly.count == 5
    assert today in partly.candidates and len(partly.candidates) > 1
    assert reading.unplaced == 1 and reading.total == 11
