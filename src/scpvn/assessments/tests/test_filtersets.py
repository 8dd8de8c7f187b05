"""One read path: the response page and the API take the same filters
(assessments.filtersets) and give the same rows, inside the same scope."""

import datetime as dt

import pytest
from django.urls import reverse

from scpvn.assessments.services import submit_response
from scpvn.assessments.tests.test_answering import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def rows(client, query: str) -> tuple[set[int], set[int]]:
    url = reverse("assessments:response_list")
    page = {r.pk for r in client.get(f"{url}?{query}").context["object_list"]}
    api = {row["id"] for row in client.get(f"{reverse('response-list')}?{query}").json()["results"]}
    return page, api


@pytest.fixture
def answered(world):  # noqa: F811
    made = {}
    for key, day in (("own", dt.date(2020, 5, 1)), ("other", dt.date(2020, 9, 1))):
        made[key] = submit_response(
            questionnaire=world["survey"],
            subject=world[key],
            date=day,
            values={"muc_do": "ap_dung"},
            user=world["city_admin"],
        ).pk
    return made


@pytest.mark.parametrize(
    "query", ["questionnaire_code=SXSH-PP&district=006", "date_from=2020-06-01", "district=001"]
)
def test_response_page_and_api_agree(client, world, answered, query):  # noqa: F811
    client.force_login(world["reviewer"])
    page, api = rows(client, query)
    assert page == api and page


def test_filters_stay_inside_the_scope(client, world, answered):  # noqa: F811
    """The district officer of Đống Đa (006) asking for district 001 sees nothing."""
    client.force_login(world["district_officer"])
    assert rows(client, "district=001") == (set(), set())
    assert rows(client, "district=006") == ({answered["own"]}, {answered["own"]})
