"""On PostgreSQL the registry's search (`EnterpriseFilterSet`, shared by the list page and
the API) reads the trigram index of migration 0013 instead of every row, and finds exactly
what the plain lookup finds: the name contains the words typed, case aside, or the tax code
starts with them."""

import pytest
from django.db import connection

from scpvn.registry.filtersets import EnterpriseFilterSet
from scpvn.registry.importing import merge_name_trigrams
from scpvn.registry.models import Enterprise

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm: PostgreSQL"),
]

TRADES = ["Thương mại", "Sản xuất", "Dịch vụ", "Nông sản", "Thực phẩm", "Xây dựng"]
PLACES = ["Tân Việt", "Phú Thịnh", "Hồng Hà", "Tiến Đạt", "An Phát", "Long Biên", "Đống Đa"]
# Terms a person types to find one enterprise. A term matching a tenth of the registry
# ("TIẾN ĐẠT 7") may rightly be read by walking the name order until a page is full, and
# the planner chose either way from run to run.
SEARCHES = ["tân việt 12", "TIẾN ĐẠT 27", "Hồng Hà 100", "011000123", "phú thịnh 2997", "xyz"]


@pytest.fixture
def registry() -> list[Enterprise]:
    """A few thousand enterprises named like the province's, with the planner's statistics."""
    Enterprise.objects.bulk_create(
        Enterprise(
            tax_code=f"0110{i:06d}",
            name=f"Công ty TNHH {TRADES[i % len(TRADES)]} {PLACES[i % len(PLACES)]} {i}",
            vsic_code="4711",
        )
        for i in range(3000)
    )
    merge_name_trigrams()  # as an import does
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_enterprise")
    return list(Enterprise.objects.all())


def searched(term: str):
    """The first page of a search, as the list page and the API read it."""
    return EnterpriseFilterSet({"q": term}, queryset=Enterprise.objects.all()).qs[:50]


def plainly(registry: list[Enterprise], term: str) -> list[int]:
    """The rule itself, row by row: what a scan of the table (SQLite's search) gives."""
    found = [e for e in registry if term.upper() in e.name.upper() or e.tax_code.startswith(term)]
    return [e.pk for e in sorted(found, key=lambda e: (e.name, e.pk))][:50]


@pytest.mark.parametrize("term", SEARCHES)
def test_the_search_reads_the_trigram_index(registry, term):
    assert "registry_enterprise_name_trgm" in searched(term).explain()


@pytest.mark.parametrize("term", SEARCHES)
def test_the_index_finds_what_the_plain_lookup_finds(registry, term):
    by_index = [e.pk for e in searched(term)]
    with connection.cursor() as cursor:  # until the test's transaction ends
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        assert "registry_enterprise_name_trgm" not in searched(term).explain()
        by_scan = [e.pk for e in searched(term)]
    assert by_index == by_scan == plainly(registry, term)
    assert by_index or term == "xyz"
