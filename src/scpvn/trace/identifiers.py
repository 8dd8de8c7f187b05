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
# Primary keys of GS1 Digital Link (GS1 General Specifications §3): AI → (pattern of the
# value, how many leading digits carry a GS1 mod-10 check digit, 0 for none).
PRIMARY_KEYS: dict[str, tuple[str, int]] = {
    "01": (r"\d{8}|\d{12,14}", 0),  # GTIN (8/12/13 are padded to 14; checked by normalize_gtin)
    "00": (r"\d{18}", 18),  # SSCC
    "414": (r"\d{13}", 13),  # GLN of a location
    "417": (r"\d{13}", 13),  # party GLN
    "8003": (r"\d{14}[\x21-\x7e]{0,16}", 14),  # GRAI: 0 + 13 digits with check, serial
    "8004": (r"\d{4}[\x21-\x7e]{0,26}", 0),  # GIAI: prefix + asset reference, no check digit
    "8017": (r"\d{18}", 18),  # GSRN of a service provider
    "8018": (r"\d{18}", 18),  # GSRN of a service recipient
    "253": (r"\d{13}[\x21-\x7e]{0,17}", 13),  # GDTI: 13 digits with check, serial
    "255": (r"\d{13}\d{0,12}", 13),  # GCN: 13 digits with check, serial
    "401": (r"\d{4}[\x21-\x7e]{0,26}", 0),  # GINC: no check digit
    "402": (r"\d{17}", 17),  # GSIN
    "8006": (r"\d{18}", 14),  # ITIP: GTIN with check, then piece and total
    "8010": (r"\d{4}[#\-/0-9A-Z]{0,26}", 0),  # CPID: no check digit
}
# Short names of GS1 Digital Link 1.0 that a resolver still accepts.
SHORT_NAMES = {
    "gtin": "01", "itip": "8006", "cpid": "8010", "gln": "414", "party": "417", "gsrnp": "8017",
    "gsrn": "8018", "gcn": "255", "sscc": "00", "gdti": "253", "ginc": "401", "gsin": "402",
    "grai": "8003", "giai": "8004", "cpv": "22", "lot": "10", "ser": "21",
}  # fmt: skip
# Key qualifiers each primary key may carry (lowest level kept in the canonical URI).
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "01": ("22", "10", "21", "235"),
    "8006": ("22", "10", "21"),
    "8010": ("8011",),
    "414": ("254", "7040"),
    "8017": ("8019",),
    "8018": ("8019",),
}
# EPC schemes that are not GS1 keys (TDS 2.x): valid EPCs, stored as given.
OTHER_EPC_SCHEMES = {"adi", "usdod", "bic", "imovn", "gid"}
EPC_CHARS = r"(?:%[0-9A-Fa-f]{2}|[!')(*+,.0-9:;=A-Za-z_-])"
UUID_RE = re.compile(r"urn:uuid:[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


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


@lru_cache(maxsize=4096)
def has_valid_check_digit(digits: str) -> bool:
    """The GS1 mod-10 check digit (GTIN, GLN, SSCC, GSRN... all share it). Memoised: the
    identifiers of a document name few products and places."""
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
        uri += f"/10/{_dl_part(lot)}"
    if serial:
        uri += f"/21/{_dl_part(serial)}"
    return uri


def gln_uri(gln: str, extension: str = "") -> str:
    uri = f"{CANONICAL_HOST}/414/{gln}"
    if extension and extension != "0":
        uri += f"/254/{_dl_part(extension)}"
    return uri


def _dl_part(value: str) -> str:
    """A value as written in a canonical Digital Link URI: percent-encoded except the
    unreserved characters and ' ; = (which GS1's reference implementation leaves as is)."""
    return quote(value, safe="';=")


def _company_prefix(value: str) -> str:
    if not value.isdigit() or not 6 <= len(value) <= 12:
        raise InvalidIdentifier("tiền tố doanh nghiệp GS1 (company prefix) không hợp lệ")
    return value


def _digits(cp: str, ref: str, total: int, indicator: bool = False) -> str:
    """Company prefix + reference as one key without its check digit; with `indicator`, the
    reference's first digit moves in front (GTIN, SSCC), as TDS §6.3 says."""
    if (not ref.isdigit() and ref != "") or len(cp) + len(ref) != total:
        raise InvalidIdentifier(f"tiền tố + tham chiếu phải có đúng {total} chữ số")
    return ref[0] + cp + ref[1:] if indicator else cp + ref


def _epc_value(value: str, max_length: int, digits_only: bool = False) -> str:
    """An EPC URN component (serial, lot, asset reference), checked and percent-decoded."""
    if not re.fullmatch(EPC_CHARS + f"{{1,{max_length}}}", value) or (
        digits_only and not value.isdigit()
    ):
        raise InvalidIdentifier(f"thành phần EPC không hợp lệ: {value!r}")
    return unquote(value)


def _parts(body: str, count: int) -> list[str]:
    parts = body.split(".", count - 1)
    if len(parts) != count:
        raise InvalidIdentifier(f"EPC URN phải có {count} thành phần cách nhau bởi dấu chấm")
    return parts


def _epc_urn_to_key(urn: str) -> GS1Key:
    """Translate an EPC URN, EPC class URN or EPC pattern URN (TDS 2.x) to its canonical
    Digital Link form, checking its structure. Pattern URNs (`idpat`) keep the fixed part
    and stand for every identifier under it: the repository matches them by prefix."""
    m = re.fullmatch(r"urn:epc:(id|class|idpat):([a-z0-9]+):(.+)", urn)
    if not m:
        raise InvalidIdentifier("không phải EPC URN (urn:epc:id|class|idpat:…)")
    kind, scheme, body = m.groups()
    pattern = kind == "idpat"
    if kind == "id" and scheme in OTHER_EPC_SCHEMES:
        return GS1Key(urn)
    if (kind == "class") != (scheme == "lgtin"):
        raise InvalidIdentifier(f"lược đồ EPC không được hỗ trợ: {kind}:{scheme}")
    if scheme in ("sgtin", "lgtin", "upui"):
        cp, ref, rest = _parts(body, 3)
        gtin = with_check_digit(_digits(_company_prefix(cp), ref, 13, indicator=True))
        if pattern:
            if rest != "*":
                raise InvalidIdentifier("mẫu EPC chỉ được để trống (*) phần cuối")
            return GS1Key(gtin_uri(gtin), gtin=gtin)
        if scheme == "lgtin":
            lot = _epc_value(rest, 20)
            return GS1Key(gtin_uri(gtin, lot=lot), gtin=gtin, lot=lot)
        if scheme == "upui":
            tpx = _epc_value(rest, 28)
            return GS1Key(f"{gtin_uri(gtin)}/235/{_dl_part(tpx)}", gtin=gtin, serial=tpx)
        serial = _epc_value(rest, 20)
        return GS1Key(gtin_uri(gtin, serial=serial), gtin=gtin, serial=serial)
    if scheme == "itip":
        cp, ref, piece, total, rest = _parts(body, 5)
        gtin = with_check_digit(_digits(_company_prefix(cp), ref, 13, indicator=True))
        if not re.fullmatch(r"\d{2}", piece) or not re.fullmatch(r"\d{2}", total):
            raise InvalidIdentifier("ITIP: số thứ tự và tổng số phần phải có 2 chữ số")
        uri = f"{CANONICAL_HOST}/8006/{gtin}{piece}{total}"
        if pattern:
            if rest != "*":
                raise InvalidIdentifier("mẫu EPC chỉ được để trống (*) phần cuối")
            return GS1Key(uri, gtin=gtin)
        serial = _epc_value(rest, 20)
        return GS1Key(f"{uri}/21/{_dl_part(serial)}", gtin=gtin, serial=serial)
    if scheme in ("grai", "gdti", "sgcn", "cpi"):
        cp, ref, rest = _parts(body, 3)
        _company_prefix(cp)
        if scheme == "cpi":
            if not re.fullmatch(r"(?:%2[3dfDF]|%3\d|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-])+", ref):
                raise InvalidIdentifier("CPI: tham chiếu bộ phận không hợp lệ")
            uri = f"{CANONICAL_HOST}/8010/{cp}{ref}"
            if pattern and rest == "*":
                return GS1Key(uri)
            return GS1Key(f"{uri}/8011/{_epc_value(rest, 12, digits_only=True)}")
        key = with_check_digit(_digits(cp, ref, 12))
        ai = {"grai": "8003", "gdti": "253", "sgcn": "255"}[scheme]
        uri = f"{CANONICAL_HOST}/{ai}/{'0' if scheme == 'grai' else ''}{key}"
        if pattern and rest == "*":
            return GS1Key(uri)
        length = {"grai": 16, "gdti": 17, "sgcn": 12}[scheme]
        serial = _epc_value(rest, length, digits_only=scheme == "sgcn")
        return GS1Key(uri + _dl_part(serial))
    if pattern:
        raise InvalidIdentifier(f"mẫu EPC không được hỗ trợ: {scheme}")
    if scheme in ("sgln", "pgln"):
        cp, ref, *rest = body.split(".", 2)
        gln = with_check_digit(_digits(_company_prefix(cp), ref, 12))
        if scheme == "pgln":
            if rest:
                raise InvalidIdentifier("PGLN không có phần mở rộng")
            return GS1Key(f"{CANONICAL_HOST}/417/{gln}", gln=gln)
        if len(rest) != 1:
            raise InvalidIdentifier("SGLN phải có phần mở rộng (0 nếu không dùng)")
        return GS1Key(gln_uri(gln, _epc_value(rest[0], 20)), gln=gln)
    if scheme in ("sscc", "gsrn", "gsrnp", "gsin"):
        cp, ref = _parts(body, 2)
        total = 16 if scheme == "gsin" else 17
        key = with_check_digit(_digits(_company_prefix(cp), ref, total, scheme == "sscc"))
        ai = {"sscc": "00", "gsrn": "8018", "gsrnp": "8017", "gsin": "402"}[scheme]
        return GS1Key(f"{CANONICAL_HOST}/{ai}/{key}")
    if scheme in ("giai", "ginc"):
        cp, ref = _parts(body, 2)
        value = _epc_value(ref, 30 - len(_company_prefix(cp)))
        ai = "8004" if scheme == "giai" else "401"
        return GS1Key(f"{CANONICAL_HOST}/{ai}/{cp}{_dl_part(value)}")
    raise InvalidIdentifier(f"lược đồ EPC không được hỗ trợ: {scheme}")


def _check_key(ai: str, value: str, verify: bool = True) -> str:
    """The key's syntax and, where it has one, its check digit (GS1 GenSpecs §7.9)."""
    if ai == "01":
        if not verify and value.isdigit() and len(value) in (8, 12, 13, 14):
            return value.zfill(14)
        return normalize_gtin(value)
    syntax, checked = PRIMARY_KEYS[ai]
    if not re.fullmatch(syntax, value):
        raise InvalidIdentifier(f"giá trị AI ({ai}) sai cú pháp: {value!r}")
    if verify and checked and not has_valid_check_digit(value[:checked]):
        expected = ean.calc_check_digit(value[: checked - 1])
        raise InvalidIdentifier(
            f"sai số kiểm tra (check digit) của AI ({ai}): {value}; "
            f"chữ số thứ {checked} phải là {expected}"
        )
    return value


# The Digital Links a capture meets most (a GTIN, its lot or serial; a GLN), with nothing to
# decode: read by one expression, as the general parse below would read them.
PLAIN_DIGITAL_LINK = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?/"
    r"(?:01/([0-9]{14})(?:/(10|21)/([A-Za-z0-9._~-]{1,20}))?|414/([0-9]{13}))"
)


def _plain_digital_link(uri: str, verify: bool) -> GS1Key | None:
    plain = PLAIN_DIGITAL_LINK.fullmatch(uri)
    if plain is None:
        return None
    gtin, qualifier, value, gln = plain.groups()
    if verify and not has_valid_check_digit(gtin or gln):
        return None  # the general parse says what is wrong
    if gln:
        return GS1Key(f"{CANONICAL_HOST}/414/{gln}", gln=gln)
    uri = f"{CANONICAL_HOST}/01/{gtin}"  # its characters need no escaping (gtin_uri)
    if qualifier is None:
        return GS1Key(uri, gtin=gtin)
    lot, serial = (value, "") if qualifier == "10" else ("", value)
    return GS1Key(f"{uri}/{qualifier}/{value}", gtin=gtin, lot=lot, serial=serial)


def _digital_link_to_key(uri: str, verify: bool = True) -> GS1Key:
    """Parse a GS1 Digital Link URI on any host: primary key, then key qualifiers."""
    return _plain_digital_link(uri, verify) or _read_digital_link(uri, verify)


def _read_digital_link(uri: str, verify: bool) -> GS1Key:
    parts = urlsplit(uri)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    segments = [SHORT_NAMES.get(s, s) if i % 2 == 0 else s for i, s in enumerate(segments)]
    for start in range(len(segments) - 1):
        if segments[start] in PRIMARY_KEYS:
            break
        # short names sit on odd positions when the path has a prefix of odd length
        segments[start + 1] = SHORT_NAMES.get(segments[start + 1], segments[start + 1])
    else:
        return _compressed_to_key(uri, verify)
    ai, value = segments[start], _check_key(segments[start], segments[start + 1], verify)
    pairs = [
        SHORT_NAMES.get(s, s) if i % 2 == 0 else s for i, s in enumerate(segments[start + 2 :])
    ]
    if len(pairs) % 2:
        raise InvalidIdentifier("đường dẫn Digital Link phải gồm các cặp AI/giá trị")
    qualifiers = dict(zip(pairs[::2], pairs[1::2], strict=True))
    allowed = set(QUALIFIERS.get(ai, ()))
    if not set(qualifiers) <= allowed:
        raise InvalidIdentifier(
            f"AI không hợp lệ trong đường dẫn: {sorted(set(qualifiers) - allowed)}"
        )
    limit = {"235": 28, "8011": 12}
    if any(not v or len(v) > limit.get(k, 20) for k, v in qualifiers.items()):
        raise InvalidIdentifier("số lô/sê-ri phải có từ 1 đến 20 ký tự")
    lot, serial = qualifiers.get("10", ""), qualifiers.get("21", "")
    if ai == "01":
        if "235" in qualifiers:
            tpx = qualifiers["235"]
            return GS1Key(f"{gtin_uri(value)}/235/{_dl_part(tpx)}", gtin=value, serial=tpx)
        return GS1Key(
            gtin_uri(value, lot=lot if not serial else "", serial=serial),
            gtin=value,
            lot=lot,
            serial=serial,
        )
    if ai == "414":
        return GS1Key(gln_uri(value, qualifiers.get("254", "")), gln=value)
    if ai == "417":
        return GS1Key(f"{CANONICAL_HOST}/417/{value}", gln=value)
    uri = f"{CANONICAL_HOST}/{ai}/{_dl_part(value)}"
    if ai == "8006":
        tail = f"/21/{_dl_part(serial)}" if serial else f"/10/{_dl_part(lot)}" if lot else ""
        return GS1Key(uri + tail, gtin=value[:14], lot=lot, serial=serial)
    for qualifier in QUALIFIERS.get(ai, ()):
        if qualifier in qualifiers:
            uri += f"/{qualifier}/{_dl_part(qualifiers[qualifier])}"
    return GS1Key(uri)


def _compressed_to_key(uri: str, verify: bool) -> GS1Key:
    """A compressed Digital Link (GS1 DL: Compression) is read as its uncompressed form, so
    it is stored and matched under the same canonical URI."""
    from scpvn.trace.dlcompression import COMPRESSED_SEGMENT, decompress_uri

    last = urlsplit(uri).path.rstrip("/").rpartition("/")[2]
    if not COMPRESSED_SEGMENT.fullmatch(last):
        raise InvalidIdentifier("URI không chứa khoá chính GS1 Digital Link (/01/, /414/…)")
    return _digital_link_to_key(decompress_uri(uri), verify)


@lru_cache(maxsize=65536)
def parse_identifier(uri: str) -> GS1Key:
    """Any GS1 key as EPC URN, EPC class/pattern URN or GS1 Digital Link URI → GS1Key;
    InvalidIdentifier explains what is wrong. Memoised: a capture meets the same lot, place
    and product many times (validation, hash ID, storage), and parsing is pure."""
    return _parse(uri, verify=True)


@lru_cache(maxsize=65536)
def _parse(uri: str, verify: bool) -> GS1Key:
    if not isinstance(uri, str) or not uri or uri != uri.strip():
        raise InvalidIdentifier("định danh rỗng hoặc có khoảng trắng")
    if uri.startswith("urn:epc:"):
        return _epc_urn_to_key(uri)
    if uri.startswith(("https://", "http://")):
        return _digital_link_to_key(uri, verify)
    raise InvalidIdentifier("định danh phải là EPC URN hoặc GS1 Digital Link URI")


URI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")


@lru_cache(maxsize=65536)
def parse_location(uri: str) -> GS1Key:
    """Any identifier EPCIS allows (EPCs, classes, read points, parties): a GS1 key in any
    of its forms is checked and canonicalised like parse_identifier; any other absolute URI
    (urn:uuid:…, a private https://… identifier, geo:…) is accepted as it is, as EPCIS 2.0
    permits, provided it is well formed."""
    if isinstance(uri, str) and (
        uri.startswith("urn:epc:")
        or PLAIN_DIGITAL_LINK.fullmatch(uri)
        or _looks_like_digital_link(uri)
    ):
        return parse_identifier(uri)
    if not isinstance(uri, str) or not URI_RE.fullmatch(uri):
        raise InvalidIdentifier("định danh phải là một URI tuyệt đối")
    if uri.lower().startswith("urn:uuid:") and not UUID_RE.fullmatch(uri):
        raise InvalidIdentifier("urn:uuid: phải theo sau bởi một UUID (RFC 4122)")
    return GS1Key(uri)


def _looks_like_digital_link(uri: str) -> bool:
    if not uri.startswith(("https://", "http://")):
        return False
    segments = [s for s in urlsplit(uri).path.split("/") if s]
    if any(
        SHORT_NAMES.get(s, s) in PRIMARY_KEYS
        and i + 1 < len(segments)
        and segments[i + 1][:1].isdigit()
        for i, s in enumerate(segments)
    ):
        return True
    from scpvn.trace.dlcompression import looks_compressed

    return bool(segments) and looks_compressed(uri)


def canonical(uri: str) -> str:
    """Canonical form for storage and matching; non-GS1 URIs stay as they are."""
    try:
        return parse_location(uri).uri
    except InvalidIdentifier:
        return uri


# The constrained canonical GS1 Digital Link URIs of CBV 2.0 §8.9 (one key, at most its
# finest qualifier, characters of the AI 82 set that need no escaping).
_SAFE = r"[\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]"
HASH_FORMS = re.compile(
    "|".join(
        (
            r"00/\d{18}",
            rf"01/\d{{14}}(?:/(?:21|10)/{_SAFE}{{0,20}}|/235/{_SAFE}{{0,28}})?",
            rf"253/\d{{13}}{_SAFE}{{0,17}}",
            r"255/\d{13}\d{0,12}",
            rf"(?:401|8004)/{_SAFE}{{0,30}}",
            r"402/\d{17}",
            rf"414/\d{{13}}(?:/254/{_SAFE}{{0,20}})?",
            r"(?:417)/\d{13}",
            rf"8003/\d{{14}}{_SAFE}{{0,16}}",
            rf"8006/\d{{18}}(?:/(?:21|10)/{_SAFE}{{0,20}})?",
            r"8010/[\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30}(?:/8011/\d{0,12})?",
            r"(?:8017|8018)/\d{18}",
        )
    )
)


@lru_cache(maxsize=65536)
def hash_form(value: str) -> str | None:
    """The form an identifier takes in the CBV 2.0 event hash pre-hash string: the
    constrained canonical Digital Link URI (on id.gs1.org, no query string, only the finest
    level of identification), or None when the value is no GS1 key or has characters that
    form leaves out (the value then enters the hash as written, as GS1's reference
    implementation does)."""
    if "." not in value or not value.startswith(("urn:epc:", "http://", "https://")):
        return None
    try:
        # EPC URNs are converted as they are; Digital Links must already be clean, and
        # their check digits are not the hash's business. Checked or not, a key parses to
        # the same URI: the checked parse, which capture has already made (memoised), first.
        uri = parse_identifier(value).uri
    except InvalidIdentifier:
        try:
            uri = _parse(value, verify=False).uri
        except InvalidIdentifier:
            return None
    if not uri.startswith(CANONICAL_HOST):
        return None  # an EPC that is no GS1 key (ADI, BIC…)
    if value.startswith("urn:epc:"):
        return uri
    if "%" in value:
        return None
    uri = unquote(uri)
    path = uri[len(CANONICAL_HOST) + 1 :]
    return uri if HASH_FORMS.fullmatch(path) else None
