"""The GS1 Digital Link resolver against GS1's own material: every statement of GS1's resolver
test suite (`Conformance1_2.txt`) is one test below, and every linkset the resolver answers is
validated against GS1's linkset schema (both copied under `standards/conformance/`)."""

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft7Validator

from scpvn.trace.labels import resolver_url
from scpvn.trace.models import Lot, ProblemReport
from scpvn.trace.simple_events import SimpleEvent, record_simple_events
from scpvn.trace.tests.factories import (
    GLN_MARKET,
    GTIN,
    OTHER_GTIN,
    harvested_lot,
    location_for,
    other_enterprise,
)

pytestmark = pytest.mark.django_db

DL = Path(__file__).resolve().parents[1] / "standards" / "conformance" / "digital_link"
STATEMENTS = [
    line.strip()
    for line in (DL / "GS1DL-resolver-testsuite-Conformance1_2.txt").read_text().splitlines()
    if line.strip()
]
SCHEMA = Draft7Validator(json.loads((DL / "gs1-linkset-schema.json").read_text()))
LINKSET = "application/linkset+json"
GS1 = "https://gs1.org/voc/"
# Paths the standard's URI syntax refuses: each must be a 400, never a 404 or a page.
BAD_SYNTAX = [
    "/01/0893000100101A",  # letters in the GTIN
    f"/01/{GTIN[:-1]}6",  # wrong check digit
    "/01/123",  # wrong length
    f"/01/{GTIN}/10/{'L' * 21}",  # a lot longer than AI (10) allows
    f"/01/{GTIN}/10/L%C3%A91",  # "é" is not in the AI 82 character set
    f"/01/{GTIN}/10/L%201",  # nor is a space
    f"/01/{GTIN}/21/{'S' * 21}",  # a serial longer than AI (21) allows
    f"/01/{GTIN}/foo",  # an unknown trailing segment
    f"/01/{GTIN}/10/L001/foo",  # a segment after the last pair
    f"/01/{GTIN}/99/X",  # not a qualifier of a GTIN
    f"/01/{GTIN}/21/S1/10/L001",  # qualifiers out of order
    f"/01/{GTIN}/10/",  # a qualifier without its value
]


@pytest.fixture
def lot(enterprise) -> Lot:
    lot = harvested_lot(enterprise)
    lot.product.items.create(serial="S-9", lot=lot)
    return lot


def get_linkset(client, path: str) -> dict:
    response = client.get(path, HTTP_ACCEPT=LINKSET)
    assert response.status_code == 200 and response["Content-Type"] == LINKSET
    body = response.json()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in SCHEMA.iter_errors(body)]
    assert not errors, errors
    return body


def entry(linkset: dict, path: str) -> dict:
    (found,) = [e for e in linkset["linkset"] if e["anchor"] == resolver_url(path)]
    return found


# ── one check per statement of Conformance1_2.txt ─────────────────────────────────────────


def methods(client, lot, settings):
    """GET, HEAD and OPTIONS answer, and OPTIONS (a CORS preflight) declares all three."""
    path = f"/01/{GTIN}/10/{lot.code}"
    get, head, options = client.get(path), client.head(path), client.options(path)
    assert get.status_code == head.status_code == 200 and head["ETag"] == get["ETag"]
    assert options.status_code == 204
    for method in ("GET", "HEAD", "OPTIONS"):
        assert method in options["Allow"] and method in options["Access-Control-Allow-Methods"]


def https(client, lot, settings):
    """Over TLS the resolver answers; plain HTTP is sent to HTTPS (the production default)."""
    settings.SECURE_SSL_REDIRECT = True
    plain = client.get(f"/01/{GTIN}")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert client.get(f"/01/{GTIN}", secure=True).status_code == 200


def cors(client, lot, settings):
    """Every answer, errors and redirects included, can be read by a page of any origin."""
    answers = [
        client.get(f"/01/{GTIN}/10/{lot.code}"),
        client.get(f"/01/{GTIN}/10/{lot.code}", HTTP_ACCEPT=LINKSET),
        client.get(f"/01/{GTIN}/10/NOSUCHLOT"),
        client.get(f"/01/{GTIN}/foo"),
        client.get(f"/01/{OTHER_GTIN}"),
        client.options(f"/01/{GTIN}", HTTP_ORIGIN="https://partner.example"),
        client.get("/.well-known/gs1resolver"),
    ]
    assert [a.status_code for a in answers] == [200, 200, 307, 400, 404, 204, 200]
    for answer in answers:
        assert answer["Access-Control-Allow-Origin"] == "*"
        assert "Link" in answer["Access-Control-Expose-Headers"]


def syntax_is_400(client, lot, settings):
    for path in BAD_SYNTAX:
        response = client.get(path)
        assert response.status_code == 400, path
        linkset = client.get(path, HTTP_ACCEPT=LINKSET)
        assert linkset.status_code == 400 and linkset["Content-Type"] == "application/problem+json"


def no_200_for_errors(client, lot, settings):
    """Errors are never dressed as a 200 page: bad syntax, an unknown GTIN, a missing link."""
    paths = [*BAD_SYNTAX, f"/01/{OTHER_GTIN}", f"/01/{GTIN}?linkType=gs1:nosuchlt"]
    for path in paths:
        assert client.get(path).status_code >= 400, path


def linkset_with_every_level(client, lot, settings):
    """linkType=all (and =linkset, and the Accept header) give the linkset; a qualified URI's
    linkset also holds the links of each level up to the GTIN, anchored on uncompressed URIs."""
    path = f"/01/{GTIN}/10/{lot.code}/21/S-9"
    by_header = get_linkset(client, path)
    for link_type in ("all", "linkset"):
        response = client.get(f"{path}?linkType={link_type}")
        assert response.status_code == 200 and response["Content-Type"] == LINKSET
        assert response.json() == by_header
    anchors = [e["anchor"] for e in by_header["linkset"]]
    assert anchors == [
        resolver_url(path),
        resolver_url(f"01/{GTIN}/10/{lot.code}"),
        resolver_url(f"01/{GTIN}"),
    ]
    assert f"{GS1}certificationInfo" in entry(by_header, f"01/{GTIN}")


def link_header(client, lot, settings):
    """Every answer points at the linkset of the asked URI, redirects included."""
    for path, status in [(f"/01/{GTIN}/10/{lot.code}", 200), (f"/01/{GTIN}/10/NOSUCHLOT", 307)]:
        response = client.get(path)
        assert response.status_code == status
        target, rel = response["Link"].split(";")[:2]
        assert target == f"<{resolver_url(path)}?linkType=linkset>" and 'rel="linkset"' in rel
        assert client.get(target.strip("<>")).json()["linkset"]


def one_default_link(client, lot, settings):
    """Exactly one default link per identified item, with a title and no other attribute."""
    for path in (f"01/{GTIN}", f"01/{GTIN}/10/{lot.code}", f"01/{GTIN}/21/S-9"):
        for item in get_linkset(client, f"/{path}")["linkset"]:
            (default,) = item[f"{GS1}defaultLink"]
            assert set(default) == {"href", "title"} and default["title"]


def links_have_target_type_and_title(client, lot, settings):
    for path in (f"/01/{GTIN}", f"/01/{GTIN}/10/{lot.code}", f"/01/{GTIN}/21/S-9"):
        for item in get_linkset(client, path)["linkset"]:
            assert item["itemDescription"].startswith("Rau muống VietGAP")
            link_types = [key for key in item if key not in ("anchor", "itemDescription")]
            assert link_types
            for link_type in link_types:
                for link in item[link_type]:
                    assert link["href"].startswith("http") and link["title"], (link_type, link)


def default_link_is_followed(client, lot, settings):
    """The resolver answers with its default link's target: a known code's page is that
    target itself (served, not a redirect to itself); an unknown lot goes to the GTIN's."""
    path = f"01/{GTIN}/10/{lot.code}"
    (default,) = entry(get_linkset(client, f"/{path}"), path)[f"{GS1}defaultLink"]
    assert default["href"] == resolver_url(path) and client.get(f"/{path}").status_code == 200
    walk_up = client.get(f"/01/{GTIN}/10/NOSUCHLOT")
    (product_default,) = entry(get_linkset(client, f"/01/{GTIN}"), f"01/{GTIN}")[
        f"{GS1}defaultLink"
    ]
    assert walk_up.status_code == 307 and walk_up["Location"] == product_default["href"]


def link_type_redirects(client, lot, settings):
    """A requested link type is followed; one the resolver does not have is a 404."""
    path = f"01/{GTIN}/10/{lot.code}"
    links = get_linkset(client, f"/{path}")
    epcis = client.get(f"/{path}?linkType=gs1:epcis")
    assert epcis.status_code == 307
    assert epcis["Location"].startswith(entry(links, path)[f"{GS1}epcis"][0]["href"])
    certificates = client.get(f"/{path}?linkType=gs1:certificationInfo")
    (certificate_link,) = entry(links, path)[f"{GS1}certificationInfo"]
    href, fragment = certificate_link["href"].split("#")
    assert certificates.status_code == 307
    assert certificates["Location"] == f"{href}?linkType=gs1:certificationInfo#{fragment}"
    assert client.get(f"/{path}?linkType=gs1:pip").status_code == 200  # the page is the target
    assert client.get(f"/{path}?linkType=gs1:nosuchlt").status_code == 404


def query_string_passed_on(client, lot, settings):
    # A link type only the product has is found by walking up from an unknown lot.
    certificates_up = client.get(f"/01/{GTIN}/10/NOSUCHLOT?linkType=gs1:certificationInfo")
    assert certificates_up["Location"].startswith(resolver_url(f"01/{GTIN}?linkType="))
    walk_up = client.get(f"/01/{GTIN}/10/NOSUCHLOT?foo=bar&17=261231")
    assert walk_up["Location"] == resolver_url(f"01/{GTIN}") + "?foo=bar&17=261231"
    epcis = client.get(f"/01/{GTIN}/10/{lot.code}?linkType=gs1:epcis&foo=bar")
    assert epcis.status_code == 307 and epcis["Location"].endswith("&linkType=gs1:epcis&foo=bar")


def description_file(client, lot, settings):
    response = client.get("/.well-known/gs1resolver", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    description = response.json()
    assert description["name"] and description["resolverRoot"].startswith("http")
    assert description["supportedPrimaryKeys"] == ["01"]
    assert {"namespace": GS1, "prefix": "gs1:"} in description["supportedLinkType"]


def gs1_vocabulary(client, lot, settings):
    """Link types are the GS1 Web vocabulary's; the resolver knows it under every host the
    vocabulary has had and as a CURIE."""
    for form in ("gs1:epcis", f"{GS1}epcis", "https://ref.gs1.org/voc/epcis",
                 "https://www.gs1.org/voc/epcis"):  # fmt: skip
        assert client.get(f"/01/{GTIN}", {"linkType": form}).status_code == 307, form
    for item in get_linkset(client, f"/01/{GTIN}/10/{lot.code}")["linkset"]:
        assert all(key.startswith(GS1) for key in item if key not in ("anchor", "itemDescription"))
    assert client.get(f"/01/{GTIN}?linkType=schema:epcis").status_code == 404


def no_blind_redirects(client, lot, settings):
    """No redirection on a company prefix alone: a GTIN nobody registered here is a 404, not
    a hand-over elsewhere, so no answer needs a gs1:handledBy annotation."""
    unknown = client.get(f"/01/{OTHER_GTIN}")
    assert unknown.status_code == 404 and "Location" not in unknown
    for item in get_linkset(client, f"/01/{GTIN}")["linkset"]:
        assert f"{GS1}handledBy" not in item


def trailing_slash(client, lot, settings):
    for path in (f"/01/{GTIN}", f"/01/{GTIN}/10/{lot.code}", f"/01/{GTIN}/10/NOSUCHLOT"):
        plain, slash = client.get(path), client.get(path + "/")
        assert plain.status_code == slash.status_code
        assert plain.get("Location") == slash.get("Location")


def decompression(client, lot, settings):
    """digital-link.js's compressed form of /01/9780345418913/10/38737643/21/58943?… (its
    tests/index.js, line 35) must be read as that URI and named in a `Link: …owl:sameAs`."""
    compressed = "/HxHKVAdpQhCTxbrOF_yEFcx_4a2GeAh1mFOZkChg6Z8pgcEMEWpMganmIfESxTyJ5UvMJa9Za"
    response = client.get(compressed)
    assert 'rel="owl:sameAs"' in response.get("Link", "")
    assert "/01/09780345418913/10/38737643/21/58943" in response["Link"]


# Statement (its opening words) → its check; a statement with no check fails the test below.
CHECKS: dict[str, tuple[Callable, tuple]] = {
    "SHALL support HTTP 1.1": (methods, ()),
    "SHALL support HTTP Over TLS": (https, ()),
    "SHALL support CORS": (cors, ()),
    "SHALL be able to decompress": (decompression, ()),
    "If handling a compressed request URI": (decompression, ()),
    "SHALL extract and syntactically validate": (syntax_is_400, ()),
    "SHALL NOT use a 200 OK": (no_200_for_errors, ()),
    "SHALL respond to a query parameter of linkType set to all": (linkset_with_every_level, ()),
    "SHOULD expose link to the linkset": (link_header, ()),
    "SHALL recognise one available link as the default": (one_default_link, ()),
    "All links exposed SHALL include": (links_have_target_type_and_title, ()),
    "SHALL redirect to the default link": (default_link_is_followed, ()),
    "SHALL redirect to the requested linkType": (link_type_redirects, ()),
    "By default, SHALL pass on all key=value pairs": (query_string_passed_on, ()),
    "SHALL provide a resolver description file": (description_file, ()),
    "If supporting multiple links per identified item": (gs1_vocabulary, ()),
    "If supporting redirection based on an MO": (no_blind_redirects, ()),
    "SHOULD tolerate trailing slashes": (trailing_slash, ()),
}


def _check_for(statement: str) -> tuple[Callable, tuple] | None:
    return next((c for opening, c in CHECKS.items() if statement.startswith(opening)), None)


def _params():
    for number, statement in enumerate(STATEMENTS, start=1):
        check = _check_for(statement)
        marks = check[1] if check else ()
        yield pytest.param(statement, id=f"{number:02d}-{statement[:40]}", marks=marks)


@pytest.mark.parametrize("statement", list(_params()))
def test_statement(statement, client, lot, settings):
    check = _check_for(statement)
    assert check is not None, f"no test for: {statement}"
    check[0](client, lot, settings)


def test_every_statement_is_checked():
    assert len(STATEMENTS) == 18 and all(_check_for(s) for s in STATEMENTS)


# ── the linkset schema, representations and caching ───────────────────────────────────────


def test_schema_tells_gs1s_valid_example_from_the_invalid_one():
    assert SCHEMA.is_valid(json.loads((DL / "valid-gs1-example.json").read_text()))
    assert not SCHEMA.is_valid(json.loads((DL / "invalid-gs1-example.json").read_text()))


def test_walk_up_from_an_unknown_lot_or_serial_to_the_product(client, lot):
    for path in (f"/01/{GTIN}/10/NOSUCHLOT", f"/01/{GTIN}/21/NOSUCH", f"/01/{GTIN}/22/V1"):
        response = client.get(path)
        assert response.status_code == 307 and response["Location"] == resolver_url(f"01/{GTIN}")
        anchors = [e["anchor"] for e in get_linkset(client, path)["linkset"]]
        assert anchors == [resolver_url(f"01/{GTIN}")]  # no links invented for the unknown lot
    lot_known = client.get(f"/01/{GTIN}/10/{lot.code}/21/NOSUCH")
    assert lot_known["Location"] == resolver_url(f"01/{GTIN}/10/{lot.code}")


def test_a_problem_report_on_an_unknown_lot_keeps_the_lot(client, lot):
    """A fake lot code is what the authority most wants to hear about."""
    response = client.post(f"/01/{GTIN}/10/FAKE-1", {"message": "Mã lô lạ", "contact": ""})
    assert response.status_code == 302
    assert ProblemReport.objects.get().lot_code == "FAKE-1"


def test_each_representation_has_its_own_etag(client, lot):
    path = f"/01/{GTIN}/10/{lot.code}"
    page = client.get(path)
    linkset = client.get(path, HTTP_ACCEPT=LINKSET)
    assert page["ETag"] and linkset["ETag"] and page["ETag"] != linkset["ETag"]
    for response in (page, linkset):
        assert "Accept" in response["Vary"]
    # A linkset request never gets a 304 for the page's ETag, nor the page for the linkset's.
    crossed = client.get(path, HTTP_ACCEPT=LINKSET, HTTP_IF_NONE_MATCH=page["ETag"])
    assert crossed.status_code == 200 and crossed["Content-Type"] == LINKSET
    assert client.get(path, HTTP_IF_NONE_MATCH=linkset["ETag"]).status_code == 200
    same = client.get(path, HTTP_ACCEPT=LINKSET, HTTP_IF_NONE_MATCH=linkset["ETag"])
    assert same.status_code == 304


# ── issue 13: a public page reads a bounded number of rows ────────────────────────────────


def _sales(lot: Lot, count: int, start_hour: int) -> None:
    market = location_for(other_enterprise(), GLN_MARKET, "Chợ Long Biên")
    when = timezone.make_aware(dt.datetime(2026, 3, 1, start_hour, 0))
    record_simple_events(
        [
            SimpleEvent("sale", lot, market, when + dt.timedelta(minutes=i), Decimal(1))
            for i in range(count)
        ],
        None,
    )


def _page_cost(client, path: str) -> tuple[int, list[str], str]:
    """What a full render of the page asks the database (nothing remembered in the cache)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries], response.content.decode()


def test_public_pages_read_a_bounded_number_of_rows(client, lot, settings):
    """More events than the bound on one lot: neither the product page nor the lot's page
    runs more queries, and every query on events or identifiers carries the bound."""
    settings.SCPVN_TRACE_PAGE_MAX_ROWS = 5
    product_path, lot_path = f"/01/{GTIN}", f"/01/{GTIN}/10/{lot.code}"
    before = {path: _page_cost(client, path) for path in (product_path, lot_path)}
    _sales(lot, 12, start_hour=10)  # 15 events now, three times the bound
    after = {path: _page_cost(client, path) for path in (product_path, lot_path)}
    for path in (product_path, lot_path):
        assert after[path][0] == before[path][0], path
        for sql in after[path][1]:  # a LIMIT, or a list of ids that a LIMIT produced
            if '"trace_event"' in sql or '"trace_eventepc"' in sql:
                assert " LIMIT " in sql or re.search(r'"(id|event_id)" IN \(', sql), sql
    lot_page = after[lot_path][2]
    assert lot_page.count('class="mb-3 position-relative"') == 5
    assert "Chỉ hiển thị 5 công đoạn đầu tiên" in lot_page
    assert "Thu hoạch" in lot_page  # the oldest steps are the ones kept
    product_page = after[product_path][2]
    assert 'data-testid="timeline"' not in product_page and "Bán lẻ" not in product_page
    assert f"/01/{GTIN}/10/{lot.code}" in product_page


def test_product_page_lists_its_lots_newest_first_in_pages(client, lot):
    product = lot.product
    for day in range(1, 26):
        Lot.objects.create(product=product, code=f"D{day:02d}", produced_on=dt.date(2026, 1, day))
    lot.produced_on = dt.date(2025, 12, 1)
    lot.save()
    first = client.get(f"/01/{GTIN}").content.decode()
    assert first.index("Lô D25") < first.index("Lô D24") and "Lô D05" not in first
    assert 'rel="next"' in first and "Trang 1 / 2" in first
    second = client.get(f"/01/{GTIN}?page=2").content.decode()
    assert "Lô D05" in second and f"Lô {lot.code}" in second and "Lô D25" not in second
