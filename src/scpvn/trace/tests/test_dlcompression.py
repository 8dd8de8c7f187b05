"""Compressed GS1 Digital Link URIs: GS1's published pairs both ways, round trips over every
shape of key the project meets, refusals that name what is wrong (never a 500), and the
resolver, capture and query treating a compressed URI as its uncompressed form."""

import contextlib
import json
import random
from pathlib import Path

import pytest

from scpvn.trace.dlcompression import (
    BASE64,
    CompressionError,
    bits_to_segment,
    compress,
    decode_bits,
    decompress_uri,
    encode_bits,
    segment_to_bits,
)
from scpvn.trace.identifiers import parse_identifier
from scpvn.trace.labels import qr_svg, resolver_url
from scpvn.trace.models import EventEPC
from scpvn.trace.tests.factories import GTIN, harvested_lot
from scpvn.trace.tests.test_capture import document, good_event, post

DL = Path(__file__).resolve().parents[1] / "standards" / "conformance" / "digital_link"
VECTORS = json.loads((DL / "dl-compression-vectors.json").read_text())
LINKSET = "application/linkset+json"


@pytest.mark.parametrize("pair", VECTORS["compress"], ids=lambda p: f"line-{p['line']}")
def test_published_compressions(pair):
    assert compress(pair["uri"], pair["optimise"], pair["compress_other"]) == pair["compressed"]


@pytest.mark.parametrize("pair", VECTORS["decompress"], ids=lambda p: f"line-{p['line']}")
def test_published_decompressions(pair):
    assert decompress_uri(pair["compressed"]) == pair["uri"]
    # …and writing the decompressed form again gives a URI that reads back the same
    assert decompress_uri(compress(pair["uri"])) == pair["uri"]


ROUND_TRIPS = [
    f"https://id.gs1.org/01/{GTIN}",
    f"https://id.gs1.org/01/{GTIN}/10/L001",
    f"https://id.gs1.org/01/{GTIN}/22/V1/10/007/21/S-9",  # leading zeros kept
    f"https://id.gs1.org/01/{GTIN}/10/ab12/21/AB12",  # hex in both cases
    f"https://id.gs1.org/01/{GTIN}/10/L%26%2B%2F1",  # & + / in the 7-bit encoding
    f"https://id.gs1.org/01/{GTIN}/235/TPX-1",
    f"https://id.gs1.org/01/{GTIN}/10/L1?17=261231&3103=000189&linkType=gs1:epcis",
    "https://id.gs1.org/00/106141412345678908",
    "https://id.gs1.org/414/8930001000016/254/A%2F1",
    "https://id.gs1.org/8004/0614141ABC%2F1",
    "https://id.gs1.org/8003/006141411234524567",
    "https://id.gs1.org/8017/106141412345678908/8019/0012",  # N..10 with leading zeros
    "https://id.gs1.org/8010/0614141%2FA/8011/0007",
    "https://example.com/prefix/path/253/4000001000005ABC",
]


@pytest.mark.parametrize("uri", ROUND_TRIPS)
def test_round_trip(uri):
    compressed = compress(uri)
    assert len(compressed) < len(uri) or "?" in uri
    assert decompress_uri(compressed) == uri
    assert compress(decompress_uri(compressed)) == compressed
    assert decompress_uri(compress(uri, optimise=False, compress_other=False)) == uri


@pytest.mark.parametrize(
    ("segment", "code"),
    [
        ("ARHKVAdp.Qg", "dl.compressed_alphabet"),  # "." is not base64url
        ("ARHK%20VAdpQg", "dl.compressed_alphabet"),
        ("ARHKVAd", "dl.compressed_truncated"),  # the GTIN's 47 bits cut short
        ("ARHKVAdpQh", "dl.compressed_truncated"),  # a non-zero padding bit
        (bits_to_segment("1010101000000000"), "dl.compressed_unknown_ai"),  # no code AA
        (bits_to_segment("0110010100000000"), "dl.compressed_unknown_ai"),  # no AI 65…
        (bits_to_segment(encode_bits([("10", "A1")])), "dl.compressed_primary_key"),
        (
            bits_to_segment(encode_bits([("00", "1" * 18), ("01", GTIN)])),
            "dl.compressed_primary_key",
        ),
    ],
)
def test_bad_segments_name_what_is_wrong(segment, code):
    with pytest.raises(CompressionError) as caught:
        decompress_uri(f"https://id.gs1.org/{segment}")
    assert caught.value.code == code and str(caught.value)


def test_random_segments_decode_or_are_refused_never_crash():
    """Any base64url string either decodes or raises CompressionError (no IndexError,
    ValueError… that would become a 500)."""
    rng = random.Random(18)
    for _ in range(3000):
        segment = "".join(rng.choice(BASE64) for _ in range(rng.randint(1, 40)))
        with contextlib.suppress(CompressionError):
            decode_bits(segment_to_bits(segment))


# ── the resolver ──────────────────────────────────────────────────────────────────────────


def _compressed(path: str) -> str:
    return compress(f"https://id.gs1.org/{path}").removeprefix("https://id.gs1.org")


@pytest.fixture
def lot(enterprise):
    return harvested_lot(enterprise)


@pytest.mark.django_db
def test_resolver_answers_a_compressed_uri_as_the_uncompressed_one(client, lot):
    for path in (f"01/{GTIN}", f"01/{GTIN}/10/{lot.code}", f"01/{GTIN}/10/NOSUCHLOT"):
        short, plain = client.get(_compressed(path)), client.get(f"/{path}")
        assert short.status_code == plain.status_code and plain.status_code in (200, 307)
        assert short.get("Location") == plain.get("Location")
        assert f'/{path}>; rel="owl:sameAs"' in short["Link"]
        assert plain["Link"] in short["Link"]  # the linkset of the uncompressed URI
        sets = [client.get(p, HTTP_ACCEPT=LINKSET) for p in (_compressed(path), f"/{path}")]
        assert sets[0].json() == sets[1].json()
    # A link type carried inside the compressed URI is followed like a query parameter.
    epcis = client.get(_compressed(f"01/{GTIN}/10/{lot.code}?linkType=gs1:epcis"))
    plain = client.get(f"/01/{GTIN}/10/{lot.code}?linkType=gs1:epcis")
    assert epcis.status_code == 307 and epcis["Location"] == plain["Location"]
    assert client.get(_compressed(f"01/{GTIN}") + "/").status_code == 200  # trailing slash


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/ARHKVAdp!Qg", "dl.compressed_alphabet"),
        ("/ARHKVAd", "dl.compressed_truncated"),
        ("/" + bits_to_segment("1010101000000000"), "dl.compressed_unknown_ai"),
        (_compressed(f"01/{GTIN[:-1]}{(int(GTIN[-1]) + 1) % 10}"), "dl.syntax"),  # check digit
        (_compressed(f"01/{GTIN}/10/L%201"), "dl.syntax"),  # a space is not in the AI 82 set
    ],
)
@pytest.mark.django_db
def test_resolver_refuses_bad_compressed_uris_with_400(client, lot, path, code):
    for accept in (LINKSET, "application/json"):
        response = client.get(path, HTTP_ACCEPT=accept)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == code
    assert client.get(path).status_code == 400  # the HTML page too


@pytest.mark.django_db
def test_the_one_segment_route_leaves_other_pages_alone(client):
    assert client.get("/admin")["Location"] == "/admin/"
    assert client.get("/robots.txt").status_code == 404
    assert client.get("/healthz").status_code == 200


# ── capture and query ─────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_capture_and_query_take_compressed_identifiers(admin_api):
    plain = f"https://id.gs1.org/01/{GTIN}/21/A1"
    short = compress(plain)
    assert parse_identifier(short).uri == plain
    assert post(admin_api, document(good_event(epcList=[short]))).status_code == 202
    stored = set(EventEPC.objects.values_list("uri", flat=True))
    assert plain in stored and short not in stored
    for value in (plain, short):
        answer = admin_api.get("/epcis/events", {"MATCH_epc": value})
        assert answer.status_code == 200
        assert len(answer.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == 1
    wrong = compress(f"https://id.gs1.org/01/{GTIN[:-1]}{(int(GTIN[-1]) + 1) % 10}/21/A1")
    refused = post(admin_api, document(good_event(epcList=[wrong])))
    assert refused.status_code == 400 and "epcList" in refused.content.decode()


@pytest.mark.django_db
def test_qr_code_can_carry_the_compressed_form(client):
    """`?form=compressed`: the QR carries the compressed URI, which the resolver reads back
    as the lot's own URI (a smaller symbol for a small label)."""
    path = f"01/{GTIN}/10/L001"
    response = client.get(f"/trace/qr/svg/{path}", {"form": "compressed"})
    assert response.status_code == 200
    assert response.content == qr_svg(compress(resolver_url(path)))
    assert response.content != client.get(f"/trace/qr/svg/{path}").content
    assert decompress_uri(compress(resolver_url(path))) == resolver_url(path)
