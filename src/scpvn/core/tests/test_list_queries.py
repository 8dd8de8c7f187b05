"""No list reads one more query per row it shows (N+1), and none comes unordered: every
API list and list page (`core.sitemap`) and the audit log of every audited model, on
the demo's data, as the city administrator, with pages of 1 and of 5 rows. A list that shows
more rows on the bigger page may not need a query more per row.

Found this way: the activities API read each activity's deliverable by itself (50 queries a
page); the fairs and events APIs counted booths and registrations per row; the audit log
read each answer's question (200 queries); the lists with a count (fairs, events,
questionnaires, surveys) lost their model's order, which Django leaves out of a query with
GROUP BY."""

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scpvn.audit import services as audit
from scpvn.conftest import make_user
from scpvn.core.paging import CappedPageNumberPagination
from scpvn.core.sitemap import listings
from scpvn.orgs.models import Agency, Role

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning"),
]

SMALL, BIG = 1, 5


def _api_rows(answer) -> int:
    data = answer.json()
    paged = isinstance(data, dict) and "results" in data
    return len(data["results"]) if paged else len(data)


def _api_lists():
    """(URL, how to set its page size, rows of an answer) of every API list."""
    for listing in listings():
        if listing.api:
            yield (
                listing.url,
                lambda patch, size: patch.setattr(CappedPageNumberPagination, "page_size", size),
                _api_rows,
            )


def _list_pages():
    """The same for every page that lists objects (each paginated for the test, those that
    show all their rows too)."""
    for listing in listings():
        if not listing.api:
            yield (
                listing.url,
                lambda patch, size, view=listing.view: patch.setattr(view, "paginate_by", size),
                lambda answer: len(answer.context["object_list"]),
            )


def _audit_logs():
    """The same for the audit log of every audited model."""
    for model in audit.audited_models():
        yield (
            reverse("audit:index") + f"?model={model._meta.label}",
            lambda patch, size: patch.setattr(audit, "RECENT", size),
            lambda answer: len(answer.context["changes"]),
        )


def _growing(client, monkeypatch, lists) -> tuple[list[str], list[tuple]]:
    """(the URLs compared, those whose queries grew with their rows)."""
    checked, growing = [], []
    for url, page_size, rows in lists:
        if client.get(url).status_code != 200:
            continue
        client.get(url)  # warm per-process caches (the plan, the catalogues)
        seen = []
        for size in (SMALL, BIG):
            page_size(monkeypatch, size)
            with CaptureQueriesContext(connection) as captured:
                answer = client.get(url)
            assert answer.status_code == 200, (url, answer.status_code)
            seen.append((len(captured), rows(answer)))
        (few, shown_few), (more, shown_more) = seen
        if shown_more > shown_few:
            checked.append(url)
            if more - few >= shown_more - shown_few:  # a query (or more) per row
                growing.append((url, f"{shown_few} row(s): {few} queries", f"{shown_more}: {more}"))
    return checked, growing


LISTS: dict[str, tuple[Callable, int]] = {
    # what is listed, and how many of its lists the demo fills (a test that compared
    # nothing would pass for nothing)
    "API": (_api_lists, 15),
    "pages": (_list_pages, 8),
    "audit": (_audit_logs, 10),
}


def test_no_list_reads_a_query_per_row(client, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "load")
    client.force_login(make_user("n1-admin", Role.CITY_ADMIN, Agency.objects.get(code="SCT")))
    for kind, (lists, filled) in LISTS.items():
        checked, growing = _growing(client, monkeypatch, lists())
        assert not growing, kind
        assert len(checked) >= filled, (kind, checked)
