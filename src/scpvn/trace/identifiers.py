"""GS1 identifiers: check digits, EPC URNs and GS1 Digital Link URIs.

Every identifier is stored in one canonical form, the GS1 Digital Link URI on id.gs1.org
(CBV 2.0 uses the same form for event hashes), so that a query with an EPC URN finds an
event captured with a Digital Link URI and the other way round.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit

from stdnum import ean

CANONICAL_HOST = "https://id.gs1.org"
# Primary keys of GS1 Digital Link (AI → fixed length of the numeric key with its check
# digit, or None when the key has no check digit of its own).
PRIMARY_KEYS: dict[str, int | None] = {
    "01": 14,  # GTIN (8/12/13 are padded to 14)
    "00": 18,  # SSCC
    "414": 13,  # GLN of a location
    "417": 13,  # party GLN
    "8003": None,  # GRAI: 14 digits with check, then serial
    "8004": None,  # GIAI: company prefix + asset reference, no check digit
    "8018": 18,  # GSRN
    "8017": 18,  # GSRN-P
    "253": None,  # GDTI: 13 digits with check, then serial
    "255": None,  # GCN
    "401": None,  # GINC
    "402": 17,  # GSIN
    "8006": None,  # ITIP
    "8010": None,  # CPID
}
QUALIFIERS = {"22", "10", "21", "235", "254", "7010", "8011", "8019"}
EPC_CHARS = r"(?:%[0-9A-Fa-f]{2}|[!')(*+,.0-9:;=A-Za-z_-])"


class InvalidIdentifier(ValueError):
    """An identifier that is not a well-formed EPC URN or GS1 Digital Link URI."""


@dataclass(frozen=True)
class GS1Key:
    """A resolved identifier: canonical URI plus the parts the repository indexes."""

    uri: str
    gtin: str = ""
    lot: str = ""
    serial: str = ""
    gln: str = ""


def has_valid_check_digit(digits: str) -> bool:
    """The GS1 mod-10 check digit (GTIN, GLN, SSCC, GSRN... all share it)."""
    return digits.isdigit() and len(digits) > 1 and ean.calc_check_digit(digits[:-1]) == digits[-1]


def with_check_digit(digits: str) -> str:
    return digits + ean.calc_check_digit(digits)


def normalize_gtin(value: str) -> str:
    """GTIN-8/12/13/14 → 14 digits; raises InvalidIdentifier on a wrong length or check digit."""
    value = value.strip()
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        raise InvalidIdentifier(f"GTIN phải có 8, 12, 13 hoặc 14 chữ số: {value!r}")
    if not has_valid_check_digit(value):
        raise InvalidIdentifier(f"Sai số kiểm tra (check digit) của GTIN {value}")
    return value.zfill(14)


def normalize_gln(value: str) -> str:
    value = value.strip()
    if not value.isdigit() or len(value) != 13 or not has_valid_check_digit(value):
        raise InvalidIdentifier(f"GLN phải có 13 chữ số với số kiểm tra đúng: {value!r}")
    return value


def gtin_uri(gtin: str, lot: str = "", serial: str = "") -> str:
    """Canonical Digital Link URI of a trade item, its lot or one serialised item."""
    uri = f"{CANONICAL_HOST}/01/{gtin}"
    if lot:
        uri += f"/10/{quote(lot, safe='')}"
    if serial:
        uri += f"/21/{quote(serial, safe='')}"
    return uri


def gln_uri(gln: str, extension: str = "") -> str:
    uri = f"{CANONICAL_HOST}/414/{gln}"
    if extension and extension != "0":
        uri += f"/254/{quote(extension, safe='')}"
    return uri


def _epc_part(value: str) -> str:
    """EPC URN components are percent-encoded with a restricted alphabet; DL re-encodes."""
    return quote(unquote(value), safe="")


def _split_cp(body: str, total: int, pattern_ok: bool = False) -> tuple[str, str, list[str]]:
    parts = body.split(".")
    if len(parts) < 2 or not parts[0].isdigit() or not 6 <= len(parts[0]) <= 12:
        raise InvalidIdentifier("tiền tố doanh nghiệp GS1 (company prefix) không hợp lệ")
    cp, ref = parts[0], parts[1]
    if pattern_ok and ref == "*":
        return cp, ref, parts[2:]
    if (not ref.isdigit() and ref != "") or len(cp) + len(ref) != total:
        raise InvalidIdentifier(f"tiền tố + tham chiếu phải có {total} chữ số")
    return cp, ref, parts[2:]


def _epc_urn_to_key(urn: str) -> GS1Key:
    """Translate an EPC URN (TDS 2.0) to its Digital Link form, checking its structure."""
    m = re.fullmatch(r"urn:epc:(id|class|idpat):([a-z0-9]+):(.+)", urn)
    if not m:
        raise InvalidIdentifier("không phải EPC URN (urn:epc:id|class|idpat:…)")
    kind, scheme, body = m.groups()
    if (kind in ("id", "idpat") and scheme == "sgtin") or (kind == "class" and scheme == "lgtin"):
        cp, ref, rest = _split_cp(body, 13, pattern_ok=kind == "idpat")
        if kind == "idpat" and ref == "*":
            raise InvalidIdentifier("mẫu EPC phải giữ nguyên GTIN")
        if len(rest) != 1 or (
            (kind != "idpat" or rest[0] != "*") and not re.fullmatch(EPC_CHARS + "{1,20}", rest[0])
        ):
            raise InvalidIdentifier("số sê-ri/số lô không hợp lệ")
        gtin = with_check_digit(ref[0] + cp + ref[1:])
        if kind == "idpat":
            return GS1Key(gtin_uri(gtin), gtin=gtin)
        if kind == "class":
            lot = unquote(rest[0])
            return GS1Key(gtin_uri(gtin, lot=lot), gtin=gtin, lot=lot)
        serial = unquote(rest[0])
        return GS1Key(gtin_uri(gtin, serial=serial), gtin=gtin, serial=serial)
    if kind != "id":
        raise InvalidIdentifier(f"lược đồ EPC không được hỗ trợ: {kind}:{scheme}")
    if scheme in ("sgln", "pgln"):
        cp, ref, rest = _split_cp(body, 12)
        gln = with_check_digit(cp + ref)
        if scheme == "pgln":
            if rest:
                raise InvalidIdentifier("PGLN không có phần mở rộng")
            return GS1Key(f"{CANONICAL_HOST}/417/{gln}", gln=gln)
        if len(rest) != 1 or not re.fullmatch(EPC_CHARS + "{1,20}", rest[0]):
            raise InvalidIdentifier("phần mở rộng GLN không hợp lệ")
        return GS1Key(gln_uri(gln, unquote(rest[0])), gln=gln)
    if scheme == "sscc":
        cp, ref, rest = _split_cp(body, 17)
        if rest:
            raise InvalidIdentifier("SSCC thừa thành phần")
        return GS1Key(f"{CANONICAL_HOST}/00/{with_check_digit(ref[0] + cp + ref[1:])}")
    if scheme == "grai":
        cp, ref, rest = _split_cp(body, 12)
        if len(rest) != 1 or not re.fullmatch(EPC_CHARS + "{1,16}", rest[0]):
            raise InvalidIdentifier("số sê-ri GRAI không hợp lệ")
        return GS1Key(f"{CANONICAL_HOST}/8003/0{with_check_digit(cp + ref)}{_epc_part(rest[0])}")
    if scheme == "giai":
        parts = body.split(".", 1)
        if len(parts) != 2 or not parts[0].isdigit() or not 6 <= len(parts[0]) <= 12:
            raise InvalidIdentifier("GIAI không hợp lệ")
        return GS1Key(f"{CANONICAL_HOST}/8004/{parts[0]}{_epc_part(parts[1])}")
    if scheme == "gsrn":
        cp, ref, rest = _split_cp(body, 17)
        return GS1Key(f"{CANONICAL_HOST}/8018/{with_check_digit(cp + ref)}")
    if scheme == "gdti":
        cp, ref, rest = _split_cp(body, 12)
        if len(rest) != 1:
            raise InvalidIdentifier("GDTI thiếu số sê-ri")
        return GS1Key(f"{CANONICAL_HOST}/253/{with_check_digit(cp + ref)}{_epc_part(rest[0])}")
    raise InvalidIdentifier(f"lược đồ EPC không được hỗ trợ: {scheme}")


def _check_key(ai: str, value: str) -> str:
    length = PRIMARY_KEYS[ai]
    if ai == "01":
        return normalize_gtin(value)
    if ai in ("8003", "253"):
        head = value[1:14] if ai == "8003" else value[:13]
        if not head.isdigit() or len(head) != 13 or not has_valid_check_digit(head):
            raise InvalidIdentifier(f"sai số kiểm tra của AI ({ai})")
        return value
    if length is not None and (
        not value.isdigit() or len(value) != length or not has_valid_check_digit(value)
    ):
        raise InvalidIdentifier(f"sai độ dài hoặc số kiểm tra của AI ({ai}): {value}")
    return value


def _digital_link_to_key(uri: str) -> GS1Key:
    """Parse a GS1 Digital Link URI on any host: primary key, then key qualifiers."""
    parts = urlsplit(uri)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    for start in range(len(segments) - 1):
        if segments[start] in PRIMARY_KEYS:
            break
    else:
        raise InvalidIdentifier("URI không chứa khoá chính GS1 Digital Link (/01/, /414/…)")
    ai, value = segments[start], _check_key(segments[start], segments[start + 1])
    pairs = segments[start + 2 :]
    if len(pairs) % 2:
        raise InvalidIdentifier("đường dẫn Digital Link phải gồm các cặp AI/giá trị")
    qualifiers = dict(zip(pairs[::2], pairs[1::2], strict=True))
    if not set(qualifiers) <= QUALIFIERS:
        raise InvalidIdentifier(
            f"AI không hợp lệ trong đường dẫn: {sorted(set(qualifiers) - QUALIFIERS)}"
        )
    if any(len(v) > 20 or not v for v in qualifiers.values()):
        raise InvalidIdentifier("số lô/sê-ri phải có từ 1 đến 20 ký tự")
    if ai == "01":
        lot, serial = qualifiers.get("10", ""), qualifiers.get("21", "")
        return GS1Key(
            gtin_uri(value, lot=lot if not serial else "", serial=serial),
            gtin=value,
            lot=lot,
            serial=serial,
        )
    if ai == "414":
        return GS1Key(gln_uri(value, qualifiers.get("254", "")), gln=value)
    return GS1Key(f"{CANONICAL_HOST}/{ai}/{quote(value, safe='')}")


@lru_cache(maxsize=65536)
def parse_identifier(uri: str) -> GS1Key:
    """Any EPC URN or GS1 Digital Link URI → GS1Key; InvalidIdentifier explains what is wrong.
    Memoised: a capture meets the same lot, place and product many times (validation, hash
    ID, storage), and parsing is pure."""
    if not isinstance(uri, str) or not uri or uri != uri.strip():
        raise InvalidIdentifier("định danh rỗng hoặc có khoảng trắng")
    if uri.startswith("urn:epc:"):
        return _epc_urn_to_key(uri)
    if uri.startswith(("https://", "http://")):
        return _digital_link_to_key(uri)
    raise InvalidIdentifier("định danh phải là EPC URN hoặc GS1 Digital Link URI")


URI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")


@lru_cache(maxsize=4096)
def parse_location(uri: str) -> GS1Key:
    """Read points and business locations: a GS1 location is checked like an identifier; any
    other absolute URI (geo:, private https://…) is accepted as the standard allows."""
    if isinstance(uri, str) and (uri.startswith("urn:epc:") or _looks_like_digital_link(uri)):
        return parse_identifier(uri)
    if not isinstance(uri, str) or not URI_RE.fullmatch(uri):
        raise InvalidIdentifier("vị trí phải là một URI tuyệt đối")
    return GS1Key(uri)


def _looks_like_digital_link(uri: str) -> bool:
    if not uri.startswith(("https://", "http://")):
        return False
    segments = [s for s in urlsplit(uri).path.split("/") if s]
    return any(s in PRIMARY_KEYS and i + 1 < len(segments) for i, s in enumerate(segments))


def canonical(uri: str) -> str:
    """Canonical form for storage and matching; non-GS1 URIs stay as they are."""
    try:
        return parse_location(uri).uri
    except InvalidIdentifier:
        return uri
