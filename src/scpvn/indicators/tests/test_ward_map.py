"""The indicator page of a plan computed by commune and ward (Hà Nội's 2026 plan) draws the
schematic ward map: one titled cell per ward coloured by its value, a legend, the schematic
said in words, and the table of values beside it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from scpvn.conftest import make_user
from scpvn.geo.models import Unit
from scpvn.indicators.maps import NO_DATA, SCALE
from scpvn.indicators.models import IndicatorValue
from scpvn.orgs.models import Agency
from scpvn.plans.models import Indicator
from scpvn.plans.planfile import read_plan_file
from scpvn.plans.services import load_plan

pytestmark = pytest.mark.django_db


def stored(indicator: Indicator, unit: Unit | None, value: str) -> None:
    IndicatorValue.objects.create(
        indicator=indicator,
        period="2026",
        period_kind="year",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        unit=unit,
        value=Decimal(value),
        observed=2,
        population=2,
        source=IndicatorValue.Source.COMPUTED,
    )


def test_the_2026_indicator_page_draws_the_ward_map(client):
    plan = load_plan(read_plan_file(settings.BASE_DIR / "plans" / "hanoi-2026.yaml")).plan
    indicator = plan.indicators.filter(level=Indicator.Level.COMMUNE).exclude(method=None).first()
    assert indicator is not None and indicator.goal
    goal = indicator.goal
    wards = {
        u.name: u
        for u in Unit.objects.filter(level="commune", valid_to=None, parent__code="01")
        if u.name in ("Phường Hoàn Kiếm", "Phường Ba Đình")
    }
    stored(indicator, None, str(goal * Decimal("0.75")))
    stored(indicator, wards["Phường Hoàn Kiếm"], str(goal))
    stored(indicator, wards["Phường Ba Đình"], str(goal / 2))
    client.force_login(make_user("canbo", "city_admin", Agency.objects.get(code="UBNDTP")))
    page = client.get(reverse("indicators:detail", args=[indicator.pk]) + "?period=2026")
    assert page.status_code == 200
    html = page.content.decode()
    svg = html[html.index('id="ward-map"') : html.index("</svg>", html.index('id="ward-map"'))]
    cells = re.findall(
        r'<g class="ward" data-code="(\d{5})"><title>([^<]*)</title>\s*<rect[^>]*fill="(#\w+)"', svg
    )
    assert len(cells) == 126
    by_code = {code: (title, fill) for code, title, fill in cells}
    title, fill = by_code["00070"]
    assert title.startswith("Phường Hoàn Kiếm: ") and fill == SCALE[-1]
    title, fill = by_code["00004"]
    assert title.startswith("Phường Ba Đình: ") and fill == SCALE[2]
    title, fill = by_code["00376"]
    assert title == "Xã Sóc Sơn: chưa có số liệu" and fill == NO_DATA
    assert 'id="ward-map-title"' in svg and "không theo ranh giới thật" in svg
    assert ">Hoàn Kiếm</text>" in svg  # the old districts name their clusters
    legend = html[html.index('id="ward-map-legend"') :]
    assert NO_DATA in legend[: legend.index("</ul>")]
    assert 'id="ward-map-unplaced"' not in html  # every Hà Nội ward has a place
    # the table beside the map names the wards with their values
    table = html[html.index('id="district-table"') :]
    assert "Xã, phường" in table and "Phường Hoàn Kiếm" in table and "Phường Ba Đình" in table
    assert 'class="district"' not in html  # no district circles for a ward-level plan
