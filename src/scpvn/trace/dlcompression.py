"""Compressed GS1 Digital Link URIs (GS1 Digital Link: Compression, part of GS1 Digital Link
URI syntax 1.1/1.2): the GS1 element strings of a Digital Link packed into a bit stream and
written as one path segment in URI-safe base64, e.g. `https://example.com/ARHKVAdpQg` for
`https://example.com/01/09780345418913`. Shorter URIs make smaller QR codes; a GS1
resolver SHALL read them.

The bit stream is a sequence of records. Each starts with an AI written as 4-bit digits
(`01` → 0000 0001), or with a two-hex-digit optimisation code standing for a usual group of
AIs (`0B` = 01 then 10), or with `F` for a key=value pair that is no GS1 AI. A value follows
its AI's format (`formats` of the data file, GS1 General Specifications' notation): a fixed
number of digits as one binary number; a variable one with its length first; alphanumerics
with a 3-bit encoding (0 digits, 1 lower-case hex, 2 upper-case hex, 3 URI-safe base64, 4
7-bit ASCII), chosen as the densest that fits. The stream is padded with zeros to a multiple
of six bits.

Two places where GS1's prototype loses data are read the way the standard means them: a
numeric run of an alphanumeric value, and a variable-length numeric value, keep their
leading zeros (the length is in the stream; the prototype drops them, `007` → `7`).

Everything the stream holds is checked on the way out: a bit stream that ends inside a
record, a non-zero padding, an AI the table does not know, a value of the wrong form. The
GS1 rules of the result (check digits, qualifiers) are `identifiers.py`'s and the resolver's.
"""

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from scpvn.trace.identifiers import PRIMARY_KEYS, QUALIFIERS, SHORT_NAMES, InvalidIdentifier

TABLES = json.loads(
    (Path(__file__).resolve().parent / "data" / "gs1_dl_compression.json").read_text()
)
PREFIX_LENGTHS: dict[str, int] = TABLES["prefix_lengths"]
OPTIMISATIONS: dict[str, list[str]] = TABLES["optimisations"]
BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
HEX = "0123456789ABCDEF"
COMPRESSED_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")
# Characters a query value keeps as they are (RFC 3986 allows them; & = + # are escaped).
QUERY_SAFE = ":/@!$'()*,;"
# A non-GS1 key is written in 6-bit base64 characters, its length and its value's in 7 bits.
OTHER_MAX = 127


class CompressionError(InvalidIdentifier):
    """A compressed Digital Link that cannot be read (or a URI that cannot be compressed);
    `code` is stable for API clients, the message says what is wrong."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Component:
    numeric: bool
    length: int  # the fixed length, or the longest for a variable one
    fixed: bool


def _component(text: str) -> Component:
    kind, _dots, length = text[0], text[1:3] == "..", text.lstrip("NX.")
    return Component(kind == "N", int(length), not _dots)


FORMATS: dict[str, tuple[Component, ...]] = {
    ai: tuple(_component(part) for part in text.split("+"))
    for ai, text in TABLES["formats"].items()
}


def length_bits(longest: int) -> int:
    """Bits of a length field for values up to `longest` characters (GS1: ⌈log2(longest)⌉,
    one more at a power of two, which is exactly the bit length of `longest`)."""
    return longest.bit_length()


def value_bits(digits: int) -> int:
    """Bits of a run of `digits` decimal digits: ⌈digits·log2(10) + 0.01⌉, computed as the
    standard's prototype does (one bit for an empty run)."""
    return math.ceil(digits * math.log(10) / math.log(2) + 0.01)


@dataclass
class DigitalLink:
    """The content of a Digital Link: where it points (scheme, host and any path prefix),
    its GS1 element strings in order, and its other key=value pairs."""

    stem: str
    elements: list[tuple[str, str]] = field(default_factory=list)
    other: list[tuple[str, str]] = field(default_factory=list)

    def primary_key(self) -> tuple[str, str]:
        keys = [(ai, v) for ai, v in self.elements if ai in PRIMARY_KEYS]
        if len(keys) != 1:
            raise CompressionError(
                "dl.compressed_primary_key",
                f"Digital Link phải có đúng một khoá chính GS1, có {len(keys)}",
            )
        return keys[0]

    def uri(self) -> str:
        """The uncompressed URI: primary key, its qualifiers in the standard's order in the
        path, the other AIs (sorted) and then the non-GS1 pairs in the query string."""
        ai, value = self.primary_key()
        values = dict(self.elements)
        qualifiers = [q for q in QUALIFIERS.get(ai, ()) if q in values]
        path = [ai, value] + [x for q in qualifiers for x in (q, values[q])]
        attributes = sorted((k, v) for k, v in values.items() if k != ai and k not in qualifiers)
        query = [f"{k}={quote(v, safe=QUERY_SAFE)}" for k, v in (*attributes, *self.other)]
        text = self.stem + "/" + "/".join(quote(part, safe="") for part in path)
        return text + ("?" + "&".join(query) if query else "")


# ── reading a compressed URI ──────────────────────────────────────────────────────────────


class _Bits:
    def __init__(self, bits: str):
        self.bits, self.cursor = bits, 0

    @property
    def left(self) -> int:
        return len(self.bits) - self.cursor

    def take(self, count: int) -> str:
        if count > self.left:
            raise CompressionError(
                "dl.compressed_truncated", "URI nén bị cắt cụt: dãy bit kết thúc giữa chừng"
            )
        taken = self.bits[self.cursor : self.cursor + count]
        self.cursor += count
        return taken

    def number(self, count: int) -> int:
        return int(self.take(count), 2) if count else 0


def _read_chars(bits: _Bits, encoding: int, count: int) -> str:
    if encoding == 0:
        number = bits.number(value_bits(count))  # an empty run still takes its one bit
        text = str(number) if count else ""
        if len(text) > count or (number and not count):
            raise CompressionError("dl.compressed_value", "giá trị số dài hơn độ dài đã ghi")
        return text.zfill(count)
    if encoding in (1, 2):
        text = "".join(HEX[bits.number(4)] for _ in range(count))
        return text.lower() if encoding == 1 else text
    if encoding == 3:
        return "".join(BASE64[bits.number(6)] for _ in range(count))
    if encoding == 4:
        return "".join(chr(bits.number(7)) for _ in range(count))
    raise CompressionError("dl.compressed_value", f"mã hoá ký tự không xác định: {encoding}")


def _read_value(bits: _Bits, ai: str) -> str:
    parts = []
    for part in FORMATS[ai]:
        if part.numeric:
            count = part.length if part.fixed else bits.number(length_bits(part.length))
            if count > part.length:
                raise CompressionError("dl.compressed_value", f"giá trị AI ({ai}) quá dài")
            parts.append(_read_chars(bits, 0, count))
        else:
            encoding = bits.number(3)
            count = part.length if part.fixed else bits.number(length_bits(part.length))
            if count > part.length:
                raise CompressionError("dl.compressed_value", f"giá trị AI ({ai}) quá dài")
            parts.append(_read_chars(bits, encoding, count))
    return "".join(parts)


def _read_ai(bits: _Bits, first: str) -> str:
    length = PREFIX_LENGTHS.get(first)
    if length is None:
        raise CompressionError("dl.compressed_unknown_ai", f"không có AI GS1 bắt đầu bằng {first}")
    ai = first + "".join(HEX[bits.number(4)] for _ in range(length - 2))
    if not ai.isdigit() or ai not in FORMATS:
        raise CompressionError("dl.compressed_unknown_ai", f"AI GS1 không xác định: ({ai})")
    return ai


def decode_bits(bits: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A bit stream → its GS1 element strings and its other key=value pairs, in order."""
    stream, elements, other = _Bits(bits), [], []
    while stream.left > 8:
        head = HEX[stream.number(4)] + HEX[stream.number(4)]
        if head.isdigit():
            ais = [_read_ai(stream, head)]
        elif head in OPTIMISATIONS:
            ais = OPTIMISATIONS[head]
        elif head[0] == "F":
            key_length = int(format(HEX.index(head[1]), "04b") + stream.take(3), 2)
            key = "".join(BASE64[stream.number(6)] for _ in range(key_length))
            encoding = stream.number(3)
            other.append((key, _read_chars(stream, encoding, stream.number(7))))
            continue
        else:
            raise CompressionError(
                "dl.compressed_unknown_ai", f"mã tối ưu hoá không xác định: {head}"
            )
        for ai in ais:
            if any(ai == seen for seen, _value in elements):
                raise CompressionError("dl.compressed_value", f"AI ({ai}) xuất hiện hai lần")
            elements.append((ai, _read_value(stream, ai)))
    if "1" in stream.bits[stream.cursor :]:
        raise CompressionError(
            "dl.compressed_truncated", "URI nén có bit thừa khác 0 ở cuối (dãy bit không đủ)"
        )
    return elements, other


def segment_to_bits(segment: str) -> str:
    if not COMPRESSED_SEGMENT.fullmatch(segment):
        bad = sorted(set(segment) - set(BASE64))
        raise CompressionError(
            "dl.compressed_alphabet",
            f"URI nén chỉ được chứa A–Z a–z 0–9 - _ ; có ký tự lạ: {''.join(bad)!r}",
        )
    return "".join(format(BASE64.index(c), "06b") for c in segment)


def decompress(uri: str) -> DigitalLink:
    """`https://host[/prefix…]/{compressed}[?k=v…]` → DigitalLink (CompressionError says
    what is wrong). A query string left outside the compressed segment is kept: its GS1 AIs
    with the elements (an AI given both ways is an error), the rest as other pairs."""
    parts = urlsplit(uri)
    segments = parts.path.rstrip("/").split("/")
    if len(segments) < 2 or not segments[-1]:
        raise CompressionError("dl.compressed_alphabet", "URI không có đoạn nén")
    stem = f"{parts.scheme}://{parts.netloc}" + "/".join(segments[:-1])
    elements, other = decode_bits(segment_to_bits(segments[-1]))
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.isdigit():
            if key not in FORMATS or any(key == ai for ai, _v in elements):
                raise CompressionError("dl.compressed_value", f"AI ({key}) trùng hoặc lạ")
            elements.append((key, value))
        else:
            other.append((key, value))
    link = DigitalLink(stem, elements, other)
    link.primary_key()
    return link


@lru_cache(maxsize=4096)
def decompress_uri(uri: str) -> str:
    """The uncompressed form of a compressed Digital Link URI."""
    return decompress(uri).uri()


def looks_compressed(uri: str) -> bool:
    """Whether an http(s) URI is a compressed Digital Link: its last path segment decodes
    into GS1 element strings with exactly one primary key (check digits not judged here)."""
    try:
        decompress_uri(uri)
    except CompressionError:
        return False
    return True


# ── writing one ───────────────────────────────────────────────────────────────────────────


def _encoding(text: str) -> int:
    if text and text.isdigit() and text.isascii():
        return 0
    if text and re.fullmatch(r"[0-9A-F]+", text):
        return 2
    if text and re.fullmatch(r"[0-9a-f]+", text):
        return 1
    if text and COMPRESSED_SEGMENT.fullmatch(text):
        return 3
    if not text.isascii():
        raise CompressionError("dl.compress_value", f"ký tự ngoài ASCII không nén được: {text!r}")
    return 4


def _chars(text: str) -> tuple[str, str]:
    encoding = _encoding(text)
    if encoding == 0:
        body = format(int(text), f"0{value_bits(len(text))}b")
    elif encoding in (1, 2):
        body = "".join(format(HEX.index(c.upper()), "04b") for c in text)
    elif encoding == 3:
        body = "".join(format(BASE64.index(c), "06b") for c in text)
    else:
        body = "".join(format(ord(c), "07b") for c in text)
    return format(encoding, "03b"), body


def _value(ai: str, value: str) -> str:
    out, rest = [], value
    for index, part in enumerate(FORMATS[ai]):
        last = index == len(FORMATS[ai]) - 1
        text = rest if (last or not part.fixed) else rest[: part.length]
        rest = rest[len(text) :]
        if (part.fixed and len(text) != part.length) or len(text) > part.length:
            raise CompressionError("dl.compress_value", f"giá trị AI ({ai}) sai độ dài: {value!r}")
        size = "" if part.fixed else format(len(text), f"0{length_bits(part.length)}b")
        if part.numeric:
            if text and not (text.isdigit() and text.isascii()):
                raise CompressionError("dl.compress_value", f"AI ({ai}) chỉ gồm chữ số: {value!r}")
            out.append(size + format(int(text or "0"), f"0{value_bits(len(text))}b"))
        else:
            encoding, body = _chars(text)
            out.append(encoding + size + body)
    return "".join(out)


def _nibbles(code: str) -> str:
    return "".join(format(HEX.index(c), "04b") for c in code)


def encode_bits(
    elements: list[tuple[str, str]],
    other: list[tuple[str, str]] = (),
    optimise: bool = True,
) -> str:
    """GS1 element strings (and other pairs) → bit stream, as the prototype orders it: the
    optimisation groups saving the most AI digits first, then the other AIs sorted, then the
    other pairs in their order."""
    values = dict(elements)
    unknown = sorted(set(values) - set(FORMATS))
    if unknown:
        raise CompressionError("dl.compress_value", f"AI GS1 không xác định: {unknown}")
    remaining, groups = sorted(values), []
    while optimise:
        fits = [(c, ais) for c, ais in OPTIMISATIONS.items() if set(ais) <= set(remaining)]
        if not fits:
            break
        code, ais = max(fits, key=lambda fit: len("".join(fit[1])))  # first of the longest
        groups.append(code)
        remaining = [ai for ai in remaining if ai not in ais]
    bits = [
        _nibbles(code) + "".join(_value(ai, values[ai]) for ai in OPTIMISATIONS[code])
        for code in groups
    ]
    bits += [_nibbles(ai) + _value(ai, values[ai]) for ai in remaining]
    for key, value in other:
        encoding, body = _chars(value)
        key_bits = "".join(format(BASE64.index(c), "06b") for c in key)
        bits.append(
            "1111"
            + format(len(key), "07b")
            + key_bits
            + encoding
            + format(len(value), "07b")
            + body
        )
    return "".join(bits)


def bits_to_segment(bits: str) -> str:
    bits += "0" * (-len(bits) % 6)
    return "".join(BASE64[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))


def _compressible(key: str, value: str) -> bool:
    return (
        0 < len(key) <= OTHER_MAX
        and len(value) <= OTHER_MAX
        and bool(COMPRESSED_SEGMENT.fullmatch(key))
        and value.isascii()
    )


def parse_uncompressed(uri: str) -> DigitalLink:
    """An uncompressed Digital Link URI → DigitalLink (no check digits judged)."""
    parts = urlsplit(uri)
    segments = parts.path.strip("/").split("/") if parts.path.strip("/") else []
    names = [SHORT_NAMES.get(s, s) for s in segments]
    start = next(
        (
            i
            for i in range(len(names) - 1)
            if names[i] in PRIMARY_KEYS and (len(names) - i) % 2 == 0
        ),
        None,
    )
    if start is None:
        raise CompressionError("dl.compress_value", "URI không chứa khoá chính GS1 Digital Link")
    stem = f"{parts.scheme}://{parts.netloc}" + "".join(f"/{s}" for s in segments[:start])
    elements = [(names[i], unquote(segments[i + 1])) for i in range(start, len(segments), 2)]
    other = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        key = SHORT_NAMES.get(key, key)
        (elements if key.isdigit() else other).append((key, value))
    return DigitalLink(stem, elements, other)


def compress(uri: str, optimise: bool = True, compress_other: bool = True) -> str:
    """An uncompressed Digital Link URI → its compressed form on the same host and path
    prefix. Non-GS1 pairs go into the bit stream (as GS1's tools do by default) unless told
    not to or they cannot (a key outside the base64 alphabet, longer than 127 characters);
    those stay in the query string."""
    link = parse_uncompressed(uri)
    if link.elements[0][0] == "01":
        link.elements[0] = ("01", link.elements[0][1].zfill(14))
    inside = [(k, v) for k, v in link.other if compress_other and _compressible(k, v)]
    outside = [(k, v) for k, v in link.other if (k, v) not in inside]
    segment = bits_to_segment(encode_bits(link.elements, inside, optimise))
    query = "&".join(f"{k}={quote(v, safe=QUERY_SAFE)}" for k, v in outside)
    return f"{link.stem}/{segment}" + (f"?{query}" if query else "")
