"""Pagination that never counts a whole table.

An exact `COUNT(*)` reads every row the filter lets through, so a list of 100,000
enterprises pays for all of them on every page. `CappedPaginator` counts only as far as a
few pages past the one asked for: below that the count is exact, above it the page says
"more than N" and still links to the next page. The page itself is read by the index that
matches the list's order, so a page costs the same at 5,000 rows as at 100,000. The web
lists (`core.object_views.ObjectListView`) and the API (`CappedPageNumberPagination`, the
default in `REST_FRAMEWORK`) both use it.
"""

import contextlib

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

# pages counted beyond the one asked for: the pager can always step this far ahead
PAGES_AHEAD = 10
# a page number past this counts as this one (it is past the last page all the same): the
# count's LIMIT stays inside a 64-bit integer (`?page=10**20` was a 500 on PostgreSQL)
FARTHEST_PAGE = 10**9


def in_model_order(queryset: QuerySet) -> QuerySet:
    """`queryset` in the order it asks for, or else its model's. Django leaves the model's
    ordering out of a query with GROUP BY, so a list annotated with a count came in whatever
    order the database grouped it, on the page and in the API."""
    return queryset.order_by(*(queryset.query.order_by or queryset.model._meta.ordering))


class CappedPaginator(Paginator):
    """A Paginator whose `count` stops `PAGES_AHEAD` pages past the page asked for;
    `more` is True when rows remain beyond what was counted (then `count` is a lower bound
    and `num_pages` is not the last page)."""

    asked = 1

    def validate_number(self, number):
        with contextlib.suppress(TypeError, ValueError):  # the parent refuses it in its words
            self.asked = min(max(1, int(number)), FARTHEST_PAGE)
        return super().validate_number(number)

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        cap = (self.asked + PAGES_AHEAD) * self.per_page
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # a sliced queryset counts in a subquery with LIMIT: at most cap + 1 rows are
            # read, in whichever order the database finds cheapest (any cap + 1 rows count
            # the same); the list's ORDER BY made a third of the count's cost
            counted = rows.order_by()[: cap + 1].count()
        else:
            counted = len(rows[: cap + 1])
        return min(counted, cap), counted > cap

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def more(self) -> bool:
        return self._counted[1]


class CappedPageNumberPagination(PageNumberPagination):
    """The API's pages: `count` is exact up to `PAGES_AHEAD` pages past the one asked for;
    beyond that it is that many rows and `next` still leads on."""

    django_paginator_class = CappedPaginator
