"""Since 1 July 2025 an officer finds records by commune or ward: every list of records on
the map, page and API alike, takes `?unit=` (one of today's communes and wards of the
province), and refuses a unit outside them. The old districts stay as a second filter for
records made before the reform."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from scpvn.assessments.models import Questionnaire, Response
from scpvn.geo.models import Unit, Ward
from scpvn.indicators.models import IndicatorValue
from scpvn.progress.models import Activity
from scpvn.registry.models import Enterprise, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(mini_plan) -> dict[str, Unit]:
    """An enterprise, a market, a response and an activity on each of two wards."""
    units = {
        "vanmieu": Ward.objects.get(name="Phường Văn Miếu - Quốc Tử Giám").unit,
        "hoankiem": Ward.objects.get(name="Phường Hoàn Kiếm").unit,
    }
    questionnaire = Questionnaire.objects.filter(is_active=True).first()
    task = mini_plan.tasks.get(number=1)
    for number, (name, unit) in enumerate(units.items()):
        enterprise = Enterprise.objects.create(
            tax_code=f"01{number:08d}", name=name, unit=unit, vsic_code="4711"
        )
        Place.objects.create(name=name, kind=Place.Kind.MARKET, unit=unit)
        Response.objects.create(
            questionnaire=questionnaire, enterprise=enterprise, unit=unit, date=dt.date(2026, 1, 5)
        )
        Activity.objects.create(
            task=task, agency=task.lead, unit=unit, date=dt.date(2026, 1, 5), quantity=1, title=name
        )
    return units


LISTS = {  # API list: its page
    "enterprise-list": "registry:enterprise_list",
    "place-list": "registry:place_list",
    "response-list": "assessments:response_list",
    "activity-list": "progress:activities",
}


@pytest.mark.parametrize("api", LISTS)
def test_each_list_is_narrowed_to_one_ward_on_its_page_and_its_api(client, users, wards, api):
    page = LISTS[api]
    chosen = wards["hoankiem"]
    client.force_login(users["city_admin"])
    rows = client.get(reverse(api), {"unit": chosen.pk}).json()["results"]
    assert len(rows) == 1
    shown = client.get(reverse(page), {"unit": chosen.pk})
    assert [o.pk for o in shown.context["object_list"]] == [row["id"] for row in rows]
    html = shown.content.decode()
    assert f'<option value="{chosen.pk}" selected>{chosen.name}</option>' in html
    assert html.count(chosen.name) >= 2  # the option, and the row says where it is


@pytest.mark.parametrize("api", LISTS)
def test_a_unit_outside_todays_province_is_refused(client, users, wards, api):
    """An old district's unit or a commune of another province: 400 problem+json on the API;
    the page says so beside the filter and lists as if it were not given."""
    client.force_login(users["city_admin"])
    page = LISTS[api]
    for outside in (
        Unit.objects.filter(level=Unit.Level.DISTRICT).first(),
        Unit.objects.filter(level=Unit.Level.COMMUNE, valid_to=None)
        .exclude(parent__code="01")
        .first(),
    ):
        answer = client.get(reverse(api), {"unit": outside.pk})
        assert answer.status_code == 400, api
        assert answer["Content-Type"] == "application/problem+json"
        shown = client.get(reverse(page), {"unit": outside.pk})
        assert shown.context["filter"].form.errors["unit"]
        assert len(shown.context["object_list"]) == 2


def test_the_ward_filter_stays_inside_the_officers_scope(client, users, wards):
    """A commune officer of Văn Miếu asking for Hoàn Kiếm sees nothing."""
    client.force_login(users["commune_officer"])
    for api in LISTS:
        rows = client.get(reverse(api), {"unit": wards["hoankiem"].pk}).json()["results"]
        assert rows == [], api


def test_city_values_are_the_ones_on_no_district_and_no_ward(client, users, wards, mini_plan):
    """A commune-level indicator stores one value per ward and one for the city, all with no
    district: `?city=true` gave the wards' values as the city's."""
    indicator = mini_plan.indicators.first()
    common = {"indicator": indicator, "period": "2026", "period_kind": "year"}
    common |= {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}
    city = IndicatorValue.objects.create(**common, value=Decimal(60))
    ward = IndicatorValue.objects.create(**common, unit=wards["hoankiem"], value=Decimal(100))
    client.force_login(users["city_admin"])
    url = reverse("indicator-value-list")
    assert [v["id"] for v in client.get(url, {"city": "true"}).json()["results"]] == [city.pk]
    assert [v["id"] for v in client.get(url, {"city": "false"}).json()["results"]] == [ward.pk]
    by_ward = client.get(url, {"unit": wards["hoankiem"].pk}).json()["results"]
    assert [v["id"] for v in by_ward] == [ward.pk]
