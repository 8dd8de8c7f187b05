"""One read path: the enterprise and place pages and the API take the same filters
(registry.filtersets) and give the same rows, inside the same scope."""

import pytest
from django.urls import reverse

from scpvn.registry.models import Enterprise, Place
from scpvn.registry.tests.test_import import GOOD, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprises(tmp_path) -> None:
    from scpvn.registry.importing import import_file

    path = tmp_path / "dn.xlsx"
    path.write_bytes(xlsx(GOOD))
    import_file(path)
    for e in Enterprise.objects.all():
        Place.objects.create(name=f"Chợ {e.name}", kind=Place.Kind.MARKET, district=e.district)


def rows(client, page: str, api: str, query: str) -> tuple[set[int], set[int]]:
    on_page = {o.pk for o in client.get(f"{reverse(page)}?{query}").context["object_list"]}
    on_api = {row["id"] for row in client.get(f"{reverse(api)}?{query}").json()["results"]}
    return on_page, on_api


@pytest.mark.parametrize(
    "query", ["district=001", "in_industrial_zone=true", "q=0", "distribution=", "size=micro"]
)
def test_enterprise_page_and_api_agree(client, users, enterprises, query):
    client.force_login(users["agency_officer"])
    page, api = rows(client, "registry:enterprise_list", "enterprise-list", query)
    assert page == api


def test_place_page_and_api_agree(client, users, enterprises):
    client.force_login(users["agency_officer"])
    page, api = rows(client, "registry:place_list", "place-list", "kind=market&district=001")
    assert (
        page == api == set(Place.objects.filter(district__code="001").values_list("pk", flat=True))
    )
    assert page


def test_filters_stay_inside_the_scope(client, users, enterprises):
    """A district officer of Đống Đa (006) asking for another district sees nothing."""
    client.force_login(users["district_officer"])
    assert rows(client, "registry:enterprise_list", "enterprise-list", "district=001") == (
        set(),
        set(),
    )
    assert rows(client, "registry:place_list", "place-list", "district=001") == (set(), set())


def test_a_place_since_the_reform_stands_on_its_ward_alone(client, users):
    """A market registered after 1 July 2025 names its ward, no district; the list and the
    API say where it is; a place on neither is refused by the database itself."""
    from django.db import IntegrityError, transaction

    from scpvn.geo.models import Unit

    ward = Unit.objects.get(level=Unit.Level.COMMUNE, code="00082", valid_to=None)
    market = Place.objects.create(name="Chợ Cửa Nam", kind=Place.Kind.MARKET, unit=ward)
    client.force_login(users["city_admin"])
    assert ward.name in client.get(reverse("registry:place_list")).content.decode()
    [row] = [r for r in client.get(reverse("place-list")).json()["results"] if r["id"] == market.pk]
    assert (row["district"], row["unit"], row["unit_name"]) == (None, "00082", ward.name)
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(name="Chợ không ở đâu", kind=Place.Kind.MARKET)
