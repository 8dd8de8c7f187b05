"""CBV 2.0 event hash IDs against GS1's published vectors and, differentially, against the
reference implementation's output on GS1's and OpenEPCIS's documents
(trace/standards/conformance/README.md says where each comes from and how the expected
values were made)."""

import json
from pathlib import Path

import pytest

from scpvn.trace.eventhash import (
    Hasher,
    document_event_hashes,
    document_events,
    document_prehashes,
    event_hash_id,
)

STANDARDS = Path(__file__).resolve().parents[1] / "standards"
VECTORS = STANDARDS / "conformance" / "hash"
REFERENCE = json.loads((STANDARDS / "conformance" / "reference_event_hashes.json").read_text())


def read(path: Path) -> dict:
    return json.loads(path.read_text())


@pytest.mark.parametrize("name", sorted(p.stem for p in VECTORS.glob("*.jsonld")))
def test_every_published_vector_matches(name):
    expected = (VECTORS / f"{name}.hashes").read_text().split()
    assert document_event_hashes(read(VECTORS / f"{name}.jsonld")) == expected


def test_the_vectors_are_all_there():
    assert sum(len(p.read_text().split()) for p in VECTORS.glob("*.hashes")) == 43
    assert sum(len([h for h in v if h]) for v in REFERENCE.values()) == 155


@pytest.mark.parametrize("path", sorted(REFERENCE))
def test_every_corpus_event_hashes_as_the_reference_does(path):
    ours = document_event_hashes(read(STANDARDS / path))
    expected = REFERENCE[path]
    assert len(ours) == len(expected)
    assert [h for h, e in zip(ours, expected, strict=True) if e] == [e for e in expected if e]


def _document(event: dict, *context: dict) -> dict:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", *context],
        "type": "EPCISDocument",
        "epcisBody": {"eventList": [event]},
    }


EVENT = {
    "type": "ObjectEvent",
    "eventTime": "2026-03-01T06:00:00.0004+07:00",
    "eventTimeZoneOffset": "+07:00",
    "epcList": ["urn:epc:id:sgtin:8930001.000101.A1"],
    "action": "OBSERVE",
    "bizStep": "shipping",
    "disposition": "in_transit",
    "readPoint": {"id": "urn:epc:id:sgln:8930001.00001.0"},
    "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:1:2"}],
    "sensorElementList": [
        {"sensorReport": [{"type": "Temperature", "value": 4.50, "booleanValue": True}]}
    ],
    "ex:note": "1.50",
}


def test_prehash_string_canonical_forms():
    (prehash,) = document_prehashes(_document(EVENT, {"ex": "https://example.vn/ns/"}))
    assert prehash == (
        "eventType=ObjectEvent"
        "eventTime=2026-02-28T23:00:00.000ZeventTimeZoneOffset=+07:00"
        "epcListepc=https://id.gs1.org/01/08930001001015/21/A1"
        "action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shipping"
        "disposition=https://ref.gs1.org/cbv/Disp-in_transit"
        "readPointid=https://id.gs1.org/414/8930001000018"
        # sensor data before the trailing block, which is sorted as strings
        "sensorElementListsensorElementsensorReporttype=https://gs1.org/voc/Temperature"
        "value=4.5booleanValue=True"
        "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-po"
        "bizTransaction=urn:epcglobal:cbv:bt:1:2"
        "{https://example.vn/ns/}note=1.5"
    )


def test_hash_ignores_member_order_ids_and_record_time_but_not_content():
    shuffled = dict(reversed(list(EVENT.items())))
    shuffled |= {"recordTime": "2030-01-01T00:00:00Z", "eventID": "urn:uuid:x"}
    assert event_hash_id(shuffled) == event_hash_id(EVENT)
    same = {
        **EVENT,
        "bizStep": "https://ref.gs1.org/cbv/BizStep-shipping",
        "epcList": ["https://shop.example.vn/01/8930001001015/21/A1?x=1"],
    }
    assert event_hash_id(same) == event_hash_id(EVENT)
    assert event_hash_id({**EVENT, "bizStep": "receiving"}) != event_hash_id(EVENT)


def test_fields_a_document_declares_ignored_do_not_count():
    doc = _document({**EVENT, "x:hash": "abc"}, {"x": "https://repository-x.example.com/"})
    doc["x:ignoreFields"] = ["x:hash"]
    assert document_event_hashes(doc) == document_event_hashes(_document(EVENT))


PLAIN_FIELDS = (
    "type", "eventID", "recordTime", "errorDeclaration", "eventTime", "eventTimeZoneOffset",
    "certificationInfo", "parentID", "action", "transformationID", "bizStep", "disposition",
    "epcList", "childEPCs", "inputEPCList", "outputEPCList", "quantityList",
    "childQuantityList", "inputQuantityList", "outputQuantityList", "readPoint",
    "bizLocation", "bizTransactionList", "sourceList", "destinationList",
)  # fmt: skip


def _variants(event: dict):
    """The event, without each field in turn, in reverse member order, with its lists and
    their elements reversed or emptied, and cut down to the fields hashed directly."""
    yield event
    for name in event:
        yield {k: v for k, v in event.items() if k != name}
    yield dict(reversed(list(event.items())))
    for name, value in event.items():
        if isinstance(value, list) and value:
            yield {**event, name: list(reversed(value))}
            yield {**event, name: []}
            yield {
                **event,
                name: [
                    dict(reversed(list(v.items()))) if isinstance(v, dict) else v for v in value
                ],
            }
    yield {k: v for k, v in event.items() if k in PLAIN_FIELDS}


def test_the_direct_prehash_writes_what_the_tree_does():
    """The usual event's pre-hash string is written without the tree (speed); on every
    published and corpus event, and variants of their shapes, both must agree."""
    documents = [read(p) for p in sorted(VECTORS.glob("*.jsonld"))]
    documents += [read(STANDARDS / path) for path in sorted(REFERENCE)]
    documents.append(_document({**EVENT, "quantityList": [{"epcClass": "urn:epc:class:lgtin:8930001.000101.L1", "quantity": 2.50, "uom": "KGM"}, {"epcClass": " https://id.gs1.org/01/08930001001015/10/L2 ", "quantity": 7}], "sourceList": [{"source": "urn:epc:id:pgln:8930001.00001", "type": "owning_party"}], "bizLocation": {"id": ""}}))  # fmt: skip
    direct = 0
    for document in documents:
        hasher = Hasher(document)
        for event in document_events(document):
            for variant in _variants(event):
                plain = hasher.plain_prehash(variant)
                if plain is not None:
                    direct += 1
                    assert plain == hasher.tree_prehash(variant), variant
    assert direct > 1000  # the comparison covers many events, not a handful
