"""One read path: the activity page and the API take the same filters (ActivityFilterSet)
and give the same rows, inside the same scope."""

import pytest
from django.urls import reverse

from scpvn.conftest import make_user
from scpvn.orgs.models import Agency
from scpvn.orgs.roles import Role
from scpvn.progress.models import Activity
from scpvn.progress.tests.test_api import LIST, activity

pytestmark = pytest.mark.django_db
PAGE = reverse("progress:activities")


def rows(client, query: str) -> tuple[set[int], set[int]]:
    page = {a.pk for a in client.get(f"{PAGE}?{query}").context["object_list"]}
    api = {row["id"] for row in client.get(f"{LIST}?{query}").json()["results"]}
    return page, api


def test_page_and_api_give_the_same_rows_for_the_same_filters(client, users):
    wanted = activity("STNMT", "Tọa đàm", district="006", status=Activity.Status.SUBMITTED)
    activity("STNMT", "Nháp")  # other status
    activity("SCT", "Bài viết", status=Activity.Status.SUBMITTED)  # other agency
    client.force_login(users["reviewer"])
    for query in ("status=submitted&agency=STNMT", "district=006", "date_from=2020-08-01"):
        page, api = rows(client, query)
        assert page == api, query
    assert rows(client, "status=submitted&agency=STNMT") == ({wanted.pk}, {wanted.pk})
    task = wanted.task_id
    page, api = rows(client, f"task={task}&date_to=2020-07-01")
    assert page == api == set()


def test_the_filters_narrow_the_scope_never_widen_it(client, users):
    """An officer of another agency (STNMT) asking for SCT's activities gets none."""
    activity("SCT", "Bài viết của Sở Công Thương", status=Activity.Status.SUBMITTED)
    outsider = make_user("stnmt", Role.AGENCY_OFFICER, Agency.objects.get(code="STNMT"))
    client.force_login(outsider)
    assert rows(client, "agency=SCT&status=submitted") == (set(), set())
