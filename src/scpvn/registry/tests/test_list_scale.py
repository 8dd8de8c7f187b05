"""The enterprise list and API cost the same whatever the size of the registry: a fixed
number of queries, and a count that stops a few pages past the one asked for
(`core.paging`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scpvn.core.paging import PAGES_AHEAD
from scpvn.registry.models import Enterprise

pytestmark = pytest.mark.django_db
PER_PAGE = 50


def add_enterprises(start: int, n: int) -> None:
    Enterprise.objects.bulk_create(
        Enterprise(tax_code=f"{i:010d}", name=f"Công ty {i:05d}", vsic_code="4711")
        for i in range(start, start + n)
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [reverse("registry:enterprise_list"), "/api/enterprises/"])
def test_queries_do_not_grow_with_the_registry(client, users, url):
    client.force_login(users["city_admin"])
    add_enterprises(0, 3)
    queries(client, url)  # the first request reads what the process then remembers
    few = queries(client, url)
    add_enterprises(3, 200)
    assert queries(client, url) == few


def test_a_large_registry_is_counted_only_some_pages_ahead(client, users):
    client.force_login(users["city_admin"])
    cap = (1 + PAGES_AHEAD) * PER_PAGE
    add_enterprises(0, cap + 10)
    page = client.get(reverse("registry:enterprise_list")).text
    assert f"Hơn {cap} doanh nghiệp" in page and "Trang 1<" in page
    assert 'rel="next"' in page and "Trang cuối" not in page
    listed = client.get("/api/enterprises/").json()
    assert listed["count"] == cap and listed["next"]
    # from the second page on, the count reaches the end: exact again, with a last page
    second = client.get(reverse("registry:enterprise_list") + "?page=2").text
    assert f"{cap + 10} doanh nghiệp" in second and "Trang 2 / 12" in second
    assert client.get("/api/enterprises/?page=2").json()["count"] == cap + 10


def test_pages_follow_the_name_order_without_overlap(client, users):
    client.force_login(users["city_admin"])
    Enterprise.objects.bulk_create(
        Enterprise(tax_code=f"{i:010d}", name="Cùng tên", vsic_code="4711") for i in range(60)
    )
    first = [row["tax_code"] for row in client.get("/api/enterprises/").json()["results"]]
    second = [row["tax_code"] for row in client.get("/api/enterprises/?page=2").json()["results"]]
    assert len(set(first) | set(second)) == 60


def test_rows_built_in_python_show_and_escape_every_column(client, users):
    """The list's rows are written by `EnterpriseTable.rows`, not by cell templates: each
    column still shows, a name is escaped, and the link leads to the enterprise."""
    from scpvn.geo.models import District
    from scpvn.registry.models import IndustrialZone

    district = District.objects.get(code="001")
    zone = IndustrialZone.objects.first()
    e = Enterprise.objects.create(
        tax_code="0101234567",
        name='<b>"Tân & Việt"</b>',
        vsic_code="4711",
        district=district,
        size=Enterprise.Size.SMALL,
        industrial_zone=zone,
        distribution=Enterprise.Distribution.MALL,
    )
    client.force_login(users["city_admin"])
    page = client.get(reverse("registry:enterprise_list") + "?district=001").text
    link = reverse("registry:enterprise_detail", args=[e.pk])
    assert (
        f'<tr><td><span class="font-monospace">0101234567</span></td><td><a href="{link}">'
        f"&lt;b&gt;&quot;Tân &amp; Việt&quot;&lt;/b&gt;</a></td><td>{district.short_name}</td>"
        f"<td>4711</td><td>Nhỏ</td><td>{zone}</td><td>Trung tâm thương mại</td></tr>"
    ) in page
    assert '<option value="001" selected>' in page


def test_the_district_options_are_remembered_until_a_district_changes(client, users):
    """The filter's districts are reference data, read once per process (`all_districts`),
    and read again once a district is saved."""
    from scpvn.geo.models import District

    client.force_login(users["city_admin"])
    url = reverse("registry:enterprise_list")
    client.get(url)
    district = District.objects.get(code="001")
    assert f'<option value="001">{district.name}</option>' in client.get(url).text
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert not [q for q in ctx.captured_queries if "geo_district" in q["sql"]]
    district.name = "Quận Thử Nghiệm"
    district.save()
    assert '<option value="001">Quận Thử Nghiệm</option>' in client.get(url).text
