"""GS1 identifiers in every form EPCIS allows, one canonical form each, check digits per key.
(The event hash is tested in test_eventhash_conformance.py.)"""

from pathlib import Path

import pytest

from scpvn.trace.identifiers import (
    InvalidIdentifier,
    _plain_digital_link,
    _read_digital_link,
    hash_form,
    normalize_gtin,
    parse_identifier,
    parse_location,
)


@pytest.mark.parametrize(
    ("uri", "canonical"),
    [
        ("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"),
        (
            "https://example.com/shop/01/10614141073464/21/2017",
            "https://id.gs1.org/01/10614141073464/21/2017",
        ),
        (
            "urn:epc:class:lgtin:4012345.012345.998877",
            "https://id.gs1.org/01/04012345123456/10/998877",
        ),
        ("urn:epc:id:sgln:0614141.07346.1234", "https://id.gs1.org/414/0614141073467/254/1234"),
        ("urn:epc:id:sgln:0614141.07346.0", "https://id.gs1.org/414/0614141073467"),
        ("urn:epc:id:sscc:4012345.0000000333", "https://id.gs1.org/00/040123450000003338"),
        ("https://id.gs1.org/01/8930001001015", "https://id.gs1.org/01/08930001001015"),
    ],
)
def test_identifiers_are_canonicalised_to_digital_link(uri, canonical):
    assert parse_identifier(uri).uri == canonical


@pytest.mark.parametrize(
    "uri",
    [
        "https://id.gs1.org/01/10614141073465/21/2017",  # wrong GTIN check digit
        "https://id.gs1.org/414/0614141073468",  # wrong GLN check digit
        "https://id.gs1.org/00/040123450000003339",  # wrong SSCC check digit
        "urn:epc:id:sgtin:0614141.10734.2017",  # company prefix + item reference ≠ 13 digits
        "urn:epc:id:foo:1234567.1",  # unknown scheme
        "https://example.com/no-gs1-key",  # not a Digital Link
        "epc-without-scheme",
        "https://id.gs1.org/01/10614141073464/99/x",  # unknown qualifier
    ],
)
def test_bad_identifiers_are_refused(uri):
    with pytest.raises(InvalidIdentifier):
        parse_identifier(uri)


def test_locations_accept_other_absolute_uris_but_check_gs1_ones():
    assert parse_location("geo:21.0285,105.8542").uri == "geo:21.0285,105.8542"
    with pytest.raises(InvalidIdentifier):
        parse_location("urn:epc:id:sgln:0614141.0734.1")
    with pytest.raises(InvalidIdentifier):
        parse_location("not a uri")


@pytest.mark.parametrize("gtin", ["96385074", "614141000012", "8930001001015", "08930001001015"])
def test_gtin_lengths(gtin):
    assert len(normalize_gtin(gtin)) == 14


@pytest.mark.parametrize("gtin", ["96385075", "8930001001016", "123", "abcdefghijklm"])
def test_bad_gtins(gtin):
    with pytest.raises(InvalidIdentifier):
        normalize_gtin(gtin)


# EPC URNs of every GS1 key (TDS 2.x) and their canonical Digital Link; the expected values
# are those of GS1's reference implementation (epclist_normalisation vector).
EPC_FORMS = [
    ("urn:epc:id:sgtin:4012345.011111.98%22", "https://id.gs1.org/01/04012345111118/21/98%22"),
    ("urn:epc:id:sgtin:415056789012.0.987654", "https://id.gs1.org/01/04150567890128/21/987654"),
    ("urn:epc:id:sscc:4012345.3111111111", "https://id.gs1.org/00/340123451111111111"),
    ("urn:epc:id:sgln:4012345.00005.122", "https://id.gs1.org/414/4012345000054/254/122"),
    ("urn:epc:id:grai:4012345.00022.334455", "https://id.gs1.org/8003/04012345000221334455"),
    ("urn:epc:id:giai:4012345.ABC345", "https://id.gs1.org/8004/4012345ABC345"),
    ("urn:epc:id:gsrn:4012345.0000006765", "https://id.gs1.org/8018/401234500000067657"),
    ("urn:epc:id:gsrnp:4012345.0000000007", "https://id.gs1.org/8017/401234500000000074"),
    ("urn:epc:id:gdti:4012345.00009.PO-4711", "https://id.gs1.org/253/4012345000092PO-4711"),
    ("urn:epc:id:gdti:987659999999..9", "https://id.gs1.org/253/98765999999929"),
    (
        "urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234",
        "https://id.gs1.org/8010/061414111111111111111-A%23%2F/8011/1234",
    ),
    ("urn:epc:id:ginc:0614141.xyz47%2F11", "https://id.gs1.org/401/0614141xyz47%2F11"),
    ("urn:epc:id:gsin:4012345.222333444", "https://id.gs1.org/402/40123452223334442"),
    (
        "urn:epc:id:itip:4012345.011111.01.02.987",
        "https://id.gs1.org/8006/040123451111180102/21/987",
    ),
    (
        "urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
        "https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB",
    ),
    ("urn:epc:id:pgln:4000001.00000", "https://id.gs1.org/417/4000001000005"),
    ("urn:epc:id:pgln:999999999999.", "https://id.gs1.org/417/9999999999994"),
    ("urn:epc:id:sgcn:4012345.67890.04711", "https://id.gs1.org/255/401234567890104711"),
    ("urn:epc:class:lgtin:4012345.012345.Lot987", "https://id.gs1.org/01/04012345123456/10/Lot987"),
    ("urn:epc:idpat:sgtin:4012345.012345.*", "https://id.gs1.org/01/04012345123456"),
    ("urn:epc:idpat:grai:4012345.00022.*", "https://id.gs1.org/8003/04012345000221"),
    ("urn:epc:idpat:itip:4012345.011111.01.02.*", "https://id.gs1.org/8006/040123451111180102"),
    ("urn:epc:idpat:cpi:0614141.123ABC.*", "https://id.gs1.org/8010/0614141123ABC"),
    ("https://id.gs1.org/gtin/09780345418913", "https://id.gs1.org/01/09780345418913"),
    (
        "https://example.com/gtin/09780345418913/lot/A/ser/765tz?abc=1",
        "https://id.gs1.org/01/09780345418913/21/765tz",
    ),
    ("https://example.com/8004/4012345AAbb", "https://id.gs1.org/8004/4012345AAbb"),
    ("https://example.com/8003/040123450007718765", "https://id.gs1.org/8003/040123450007718765"),
    (
        "https://id.gs1.org/01/04012345123456/235/AB12",
        "https://id.gs1.org/01/04012345123456/235/AB12",
    ),
    ("https://id.gs1.org/8010/4012345ABC/8011/123", "https://id.gs1.org/8010/4012345ABC/8011/123"),
]


@pytest.mark.parametrize(("uri", "canonical"), EPC_FORMS)
def test_every_gs1_key_form_has_one_canonical_form(uri, canonical):
    assert parse_identifier(uri).uri == canonical
    assert hash_form(uri) == canonical


@pytest.mark.parametrize(
    "uri",
    [
        "https://id.example.com/8003/030013450007718765",  # GRAI check digit must be 6
        "https://id.gs1.org/8003/0401234500077",  # GRAI shorter than its 14 digits
        "https://id.gs1.org/8017/401234500000000075",  # GSRN-P check digit
        "https://id.gs1.org/402/40123452223334443",  # GSIN check digit
        "https://id.gs1.org/8006/040123451111170102",  # ITIP: check digit of its GTIN
        "urn:epc:idpat:sgln:4012345.00005.*",  # no pattern for this scheme
        "urn:epc:class:sgtin:4012345.011111.1",
        "urn:epc:id:sgcn:4012345.67890.A1",  # coupon serials are digits
    ],
)
def test_wrong_keys_are_refused(uri):
    with pytest.raises(InvalidIdentifier):
        parse_identifier(uri)


def test_giai_has_no_check_digit_and_grai_one_on_its_first_14_digits():
    assert parse_identifier("https://id.gs1.org/8004/0614141ABC-99").uri.endswith("ABC-99")
    assert parse_identifier("https://id.gs1.org/8003/00614141000418X1")
    with pytest.raises(InvalidIdentifier):
        parse_identifier("https://id.gs1.org/8003/00614141000417X1")


@pytest.mark.parametrize(
    "uri",
    [
        "urn:uuid:6a0f2d0c-0000-4000-8000-000000000001",
        "https://partner.example.vn/assets/crate-17",
        "urn:epc:id:adi:2S.123.ABC",
        "geo:21.0285,105.8542",
    ],
)
def test_other_identifiers_epcis_allows_are_kept_as_written(uri):
    assert parse_location(uri).uri == uri
    assert hash_form(uri) is None


@pytest.mark.parametrize(
    "uri",
    [
        "https://id.gs1.org/01/08930001001015",
        "https://id.gs1.org/01/08930001001015/10/L-1.a_b~c",
        "http://shop.example.vn:8080/01/08930001001015/21/12345678901234567890",
        "https://id.gs1.org/01/08930001001016/21/A1",  # wrong check digit
        "https://id.gs1.org/01/08930001001015/21/123456789012345678901",  # serial too long
        "https://id.gs1.org/414/8930001000018",
        "https://id.gs1.org/414/8930001000017",  # wrong check digit
    ],
)
def test_plain_digital_links_read_as_the_general_parse_reads_them(uri):
    """The one-expression reading of the usual Digital Links (speed) agrees with the
    general parse, or leaves the URI to it."""
    for verify in (True, False):
        try:
            expected = _read_digital_link(uri, verify)
        except InvalidIdentifier:
            assert _plain_digital_link(uri, verify) is None
        else:
            assert _plain_digital_link(uri, verify) in (expected, None)
    assert _plain_digital_link("https://id.gs1.org/01/08930001001015/21/A1", True)


def test_malformed_uuid_is_refused():
    with pytest.raises(InvalidIdentifier):
        parse_location("urn:uuid:not-a-uuid")


CONFORMANCE = Path(__file__).resolve().parents[1] / "standards" / "conformance"


@pytest.mark.django_db
def test_document_with_every_gs1_key_captures(admin_api):
    """OpenEPCIS's document with every GS1 key (a GSRN-P EPC among them) was refused."""
    from scpvn.trace.models import EventEPC

    path = CONFORMANCE / "openepcis/JSON/Capture/Documents/epcisDocWithAllGS1Keys.json"
    response = admin_api.post(
        "/epcis/capture", path.read_bytes(), content_type="application/ld+json"
    )
    assert response.status_code == 202, response.content
    uris = set(EventEPC.objects.values_list("uri", flat=True))
    assert {
        "https://id.gs1.org/8017/401234500000987658",
        "https://id.gs1.org/8004/4012345AAbb",
        "https://id.gs1.org/8003/0401234566666387",
        "https://id.gs1.org/01/04012345123456/235/AB12",
    } <= uris


@pytest.mark.django_db
def test_grai_with_a_wrong_check_digit_is_refused_with_the_right_digit(admin_api):
    """OpenEPCIS's Combination_of_different_event.json names the GRAI 0300134500077|18765:
    its check digit is 6, not 7, so the document stays refused, naming the field."""
    path = CONFORMANCE / "openepcis/JSON/Capture/Documents/Combination_of_different_event.json"
    response = admin_api.post(
        "/epcis/capture", path.read_bytes(), content_type="application/ld+json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "epcList[0]" and "phải là 6" in body["detail"]
