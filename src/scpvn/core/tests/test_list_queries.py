"""No list reads one more query per row it returns (N+1), and none comes unordered: each
list endpoint of the router and each list page, on the demo's data, as the city
administrator, with pages of 1 and of 5 rows. A list that returns more rows on the bigger
page must answer it in as many queries. The activities API read each activity's deliverable
by itself, 50 queries a page; the lists with a count (fairs, events, questionnaires,
surveys) lost their model's order, which Django leaves out of a query with GROUP BY."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scpvn.api_router import router
from scpvn.conftest import make_user
from scpvn.core.paging import CappedPageNumberPagination
from scpvn.orgs.models import Agency, Role

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning"),
]

SMALL, BIG = 1, 5


def _rows(data) -> int:
    return len(data["results"]) if isinstance(data, dict) and "results" in data else len(data)


def _read(client, url: str, page_size: int, monkeypatch) -> tuple[int, int]:
    """(queries, rows) of one GET of `url` with pages of `page_size` rows."""
    monkeypatch.setattr(CappedPageNumberPagination, "page_size", page_size)
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return len(captured), _rows(answer.json())


def test_no_api_list_reads_a_query_per_row(client, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "load")
    client.force_login(make_user("n1-admin", Role.CITY_ADMIN, Agency.objects.get(code="SCT")))
    checked, growing = [], []
    for _prefix, _viewset, basename in router.registry:
        try:
            url = reverse(f"{basename}-list")
        except Exception:  # a viewset with no list (verify-pdf takes a POST)
            continue
        if client.get(url).status_code != 200:
            continue
        client.get(url)  # warm per-process caches (the plan, the catalogues)
        small, big = _read(client, url, SMALL, monkeypatch), _read(client, url, BIG, monkeypatch)
        if big[1] > small[1]:
            checked.append(url)
            if big[0] != small[0]:
                growing.append(
                    (url, f"{small[1]} row(s): {small[0]} queries", f"{big[1]}: {big[0]}")
                )
    assert not growing
    # the demo fills most lists: a test that compared nothing would pass for nothing
    assert len(checked) >= 15, checked


def _list_pages() -> list[tuple[str, type]]:
    """(URL, view class) of every page that lists objects and takes no argument."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.views.generic.list import MultipleObjectMixin

    found = []

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(
                    entry.url_patterns,
                    f"{namespace}{entry.namespace}:" if entry.namespace else namespace,
                )
            elif isinstance(entry, URLPattern) and entry.name:
                view = getattr(entry.callback, "view_class", None)
                if (
                    view
                    and issubclass(view, MultipleObjectMixin)
                    and not entry.pattern.regex.groups
                ):
                    found.append((reverse(f"{namespace}{entry.name}"), view))

    walk(get_resolver().url_patterns, "")
    return found


def test_no_list_page_reads_a_query_per_row(client, tmp_path, settings, monkeypatch):
    """The same for the web lists: each shown in pages of 1 and of 5 rows (every list
    view paginated for the test, those that show all their rows too)."""
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "load")
    client.force_login(make_user("n1-admin", Role.CITY_ADMIN, Agency.objects.get(code="SCT")))

    def read(url: str, view: type, size: int) -> tuple[int, int]:
        monkeypatch.setattr(view, "paginate_by", size)
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        return len(captured), len(answer.context["object_list"])

    checked, growing = [], []
    for url, view in _list_pages():
        if client.get(url).status_code != 200:
            continue
        small, big = read(url, view, SMALL), read(url, view, BIG)
        if big[1] > small[1]:
            checked.append(url)
            if big[0] != small[0]:
                growing.append(
                    (url, f"{small[1]} row(s): {small[0]} queries", f"{big[1]}: {big[0]}")
                )
    assert not growing
    assert len(checked) >= 8, checked
