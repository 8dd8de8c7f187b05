"""The request side of the GS1 Digital Link resolver: the strict syntax of a request path
(GS1 Digital Link URI syntax 1.2, §4 and the resolver standard's "SHALL syntactically validate
and answer 400"), the levels it walks up, and the link types it recognises.

`identifiers.py` reads identifiers inside EPCIS events, where any host and form is allowed;
this module judges what a phone or a partner's system asks the resolver, which is stricter:
qualifiers in the standard's order, AI 82 characters only, nothing after the last pair.
"""

from dataclasses import dataclass
from urllib.parse import quote

from scpvn.trace.identifiers import InvalidIdentifier, normalize_gtin

# GS1 General Specifications, figure 7.11-1: the 82 characters allowed in alphanumeric AIs.
AI82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
# Key qualifiers of a GTIN in the order the path must give them (21 and 235 are
# alternatives at the same place), with the longest value each AI allows.
GTIN_QUALIFIERS: dict[str, tuple[int, int]] = {
    "22": (0, 20),  # consumer product variant
    "10": (1, 20),  # batch/lot
    "21": (2, 20),  # serial number
    "235": (2, 28),  # third-party controlled, serialised extension
}
# Namespaces under which a GS1 link type may be named (GS1 Web vocabulary, its change of host
# and the CURIE prefix the resolver standard uses).
GS1_VOC = "https://gs1.org/voc/"
GS1_VOC_FORMS = ("gs1:", GS1_VOC, "https://ref.gs1.org/voc/", "https://www.gs1.org/voc/",
                 "http://gs1.org/voc/")  # fmt: skip
LINKSET_LINK_TYPES = ("linkset", "all")  # `all` is the deprecated spelling of `linkset`


@dataclass(frozen=True)
class ResolverPath:
    """A GTIN and its key qualifiers, as asked (each value checked, none looked up)."""

    gtin: str
    qualifiers: tuple[tuple[str, str], ...] = ()

    def value(self, ai: str) -> str:
        return dict(self.qualifiers).get(ai, "")

    @property
    def lot(self) -> str:
        return self.value("10")

    @property
    def serial(self) -> str:
        return self.value("21")

    @property
    def path(self) -> str:
        """The canonical path (GTIN-14, values percent-encoded), without a leading slash."""
        parts = [f"01/{self.gtin}"] + [f"{ai}/{quote(v, safe='')}" for ai, v in self.qualifiers]
        return "/".join(parts)

    def levels(self) -> list["ResolverPath"]:
        """This path and each one above it, up to the bare GTIN: the walk-up order."""
        return [
            ResolverPath(self.gtin, self.qualifiers[:n])
            for n in range(len(self.qualifiers), -1, -1)
        ]


def parse_resolver_path(path: str) -> ResolverPath:
    """`/01/{gtin}[/22/…][/10/…][/21/…|/235/…][/]` → ResolverPath; InvalidIdentifier says
    what is wrong (the resolver answers it with 400). A trailing slash is tolerated."""
    segments = path.strip("/").split("/")
    if len(segments) < 2 or segments[0] != "01":
        raise InvalidIdentifier("đường dẫn phải bắt đầu bằng /01/{GTIN}")
    gtin = normalize_gtin(segments[1])
    pairs = segments[2:]
    if len(pairs) % 2:
        raise InvalidIdentifier(f"đoạn đường dẫn thừa hoặc thiếu giá trị: {pairs[-1]!r}")
    qualifiers: list[tuple[str, str]] = []
    place = -1
    for ai, value in zip(pairs[::2], pairs[1::2], strict=True):
        if ai not in GTIN_QUALIFIERS:
            raise InvalidIdentifier(f"AI ({ai}) không phải là định danh bổ sung của GTIN")
        order, longest = GTIN_QUALIFIERS[ai]
        if order <= place:
            raise InvalidIdentifier(f"AI ({ai}) sai thứ tự (đúng: 22, 10, rồi 21 hoặc 235)")
        place = order
        if not 1 <= len(value) <= longest:
            raise InvalidIdentifier(f"giá trị của AI ({ai}) phải có từ 1 đến {longest} ký tự")
        outside = sorted(set(value) - AI82)
        if outside:
            raise InvalidIdentifier(
                f"giá trị của AI ({ai}) có ký tự không được phép: {''.join(outside)!r}"
            )
        qualifiers.append((ai, value))
    return ResolverPath(gtin, tuple(qualifiers))


def link_type_name(value: str) -> str:
    """`gs1:pip`, `https://gs1.org/voc/pip` (or the ref./www. hosts) → `pip`; the linkset
    keywords stay as they are; a link type of another vocabulary → "" (none is offered)."""
    if value in LINKSET_LINK_TYPES:
        return value
    for prefix in GS1_VOC_FORMS:
        if value.startswith(prefix) and len(value) > len(prefix):
            return value[len(prefix) :]
    return ""
