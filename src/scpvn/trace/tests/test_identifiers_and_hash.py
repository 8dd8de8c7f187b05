"""GS1 identifiers and the CBV 2.0 event hash, against vectors from the GS1 reference tool."""

import json
from pathlib import Path

import pytest

from scpvn.trace.eventhash import event_hash_id
from scpvn.trace.identifiers import (
    InvalidIdentifier,
    normalize_gtin,
    parse_identifier,
    parse_location,
)

VECTORS = Path(__file__).parent / "hash_vectors"


@pytest.mark.parametrize("name", sorted(p.stem for p in VECTORS.glob("*.jsonld")))
def test_event_hash_matches_reference_vectors(name):
    document = json.loads((VECTORS / f"{name}.jsonld").read_text())
    expected = [h for h in (VECTORS / f"{name}.hashes").read_text().split() if h]
    events = document["epcisBody"]["eventList"]
    assert [event_hash_id(e, document["@context"]) for e in events] == expected


def test_hash_ignores_field_order_recordtime_and_eventid():
    document = json.loads((VECTORS / "ReferenceEventHashAlgorithm.jsonld").read_text())
    event = document["epcisBody"]["eventList"][0]
    shuffled = dict(reversed(list(event.items())))
    shuffled["recordTime"] = "2030-01-01T00:00:00Z"
    shuffled["eventID"] = "urn:uuid:whatever"
    assert event_hash_id(shuffled, document["@context"]) == event_hash_id(
        event, document["@context"]
    )
    changed = {**event, "bizStep": "receiving"}
    assert event_hash_id(changed, document["@context"]) != event_hash_id(
        event, document["@context"]
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
