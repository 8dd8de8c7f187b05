"""The shared pager keeps the list's filters in its links."""

import pytest
from django.core.paginator import EmptyPage, Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def render_page(number: int, query: str) -> str:
    page = Paginator(list(range(120)), 50).page(number)
    request = RequestFactory().get(f"/list/?{query}")
    return render_to_string(
        "core/_pagination.html", {"page_obj": page, "request": request}, request=request
    )


def test_links_keep_filters_and_replace_the_page():
    html = render_page(2, "status=draft&task=3&task=4&page=2")
    assert 'href="?status=draft&amp;task=3&amp;task=4&amp;page=3"' in html
    assert 'href="?status=draft&amp;task=3&amp;task=4&amp;page=1"' in html
    assert "2 / 3" in html


def test_single_page_shows_no_pager():
    page = Paginator([1, 2], 50).page(1)
    request = RequestFactory().get("/list/")
    assert (
        render_to_string("core/_pagination.html", {"page_obj": page}, request=request).strip() == ""
    )


def test_capped_paginator_counts_some_pages_past_the_one_asked_for():
    from scpvn.core.paging import PAGES_AHEAD, CappedPaginator

    rows = list(range(2000))
    first = CappedPaginator(rows, 50).page(1)
    assert first.paginator.count == (1 + PAGES_AHEAD) * 50 and first.paginator.more
    assert first.has_next()
    far = CappedPaginator(rows, 50).page(35)
    assert far.paginator.count == 2000 and not far.paginator.more
    assert far.paginator.num_pages == 40


def test_capped_pager_shows_no_last_page_it_has_not_counted():
    from scpvn.core.paging import CappedPaginator

    page = CappedPaginator(list(range(2000)), 50).page(1)
    request = RequestFactory().get("/list/")
    html = render_to_string("core/_pagination.html", {"page_obj": page}, request=request)
    assert "Trang 1<" in html and "Trang cuối" not in html and 'rel="next"' in html


@pytest.mark.django_db
def test_a_page_number_past_any_integer_is_not_found_not_a_server_error():
    """The API fuzz's finding: the count's LIMIT overflowed PostgreSQL's bigint."""
    from scpvn.core.paging import CappedPaginator
    from scpvn.orgs.models import Agency

    with pytest.raises(EmptyPage):
        CappedPaginator(Agency.objects.order_by("pk"), 50).page(10**20)


@pytest.mark.django_db
def test_a_capped_count_reads_the_rows_in_no_particular_order(mini_plan):
    """Any cap + 1 rows count the same: the count leaves the list's ORDER BY out (it was a
    third of the count's cost on the registry list), and still counts right."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scpvn.core.paging import CappedPaginator
    from scpvn.geo.models import Unit

    ordered = Unit.objects.order_by("-name", "pk")
    with CaptureQueriesContext(connection) as queries:
        paginator = CappedPaginator(ordered, 5)
        counted = paginator.count
    assert counted == min(ordered.count(), (1 + 10) * 5)
    assert len(queries) == 1 and "ORDER BY" not in queries[0]["sql"].upper()
    # the page itself keeps the order
    assert [u.pk for u in paginator.page(1)] == [u.pk for u in ordered[:5]]
