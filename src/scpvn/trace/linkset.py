"""The resolver's links (RFC 9264 linkset, GS1 Digital Link resolver standard §6): one entry
per level of the asked path that has links, most specific first, so that a lot's linkset
also carries the product's links (walk-up). Every link has a target and a title; each entry
has an `itemDescription` and exactly one default link with nothing but `href` and `title`,
as GS1's linkset schema and test suite require."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from scpvn.trace.digitallink import GS1_VOC, ResolverPath
from scpvn.trace.identifiers import gtin_uri
from scpvn.trace.journey import valid_certifications
from scpvn.trace.labels import resolver_url
from scpvn.trace.models import Product

LINKSET = "application/linkset+json"
CERTIFICATES_FRAGMENT = "#chung-nhan"


def item_description(product: Product, level: ResolverPath) -> str:
    parts = [product.name]
    if level.lot:
        parts.append(_("lô %(lot)s") % {"lot": level.lot})
    if level.serial:
        parts.append(_("sê-ri %(serial)s") % {"serial": level.serial})
    return ", ".join(parts)


def _epcis_query(level: ResolverPath) -> str:
    if level.serial:
        param = {"MATCH_anyEPC": gtin_uri(level.gtin, serial=level.serial)}
    else:
        param = {"MATCH_anyEPCClass": gtin_uri(level.gtin, lot=level.lot)}
    return resolver_url(reverse("trace:events") + "?" + urlencode(param))


def links_of(product: Product, level: ResolverPath) -> dict[str, list[dict]]:
    """Link type (short GS1 name) → links, for one level."""
    page = resolver_url(level.path)
    description = item_description(product, level)
    links = {
        "defaultLink": [{"href": page, "title": description}],
        "pip": [{"href": page, "title": product.name, "type": "text/html", "hreflang": ["vi"]}],
        "epcis": [
            {
                "href": _epcis_query(level),
                "title": _("Sự kiện EPCIS"),
                "type": "application/ld+json",
            }
        ],
    }
    certificates = valid_certifications(product)  # the product's, so every lot's and item's
    if certificates:  # one target (the page's section), so one link: never a 300 choice
        links["certificationInfo"] = [
            {
                "href": page + CERTIFICATES_FRAGMENT,
                "title": "; ".join(f"{c.get_kind_display()} {c.number}" for c in certificates),
                "type": "text/html",
                "hreflang": ["vi"],
            }
        ]
    return links


def linkset(product: Product, levels: list[ResolverPath]) -> dict:
    """The linkset document for the known `levels` of a request (see `known_levels`)."""
    return {
        "linkset": [
            {
                "anchor": resolver_url(level.path),
                "itemDescription": item_description(product, level),
                **{GS1_VOC + name: targets for name, targets in links_of(product, level).items()},
            }
            for level in levels
        ]
    }


def find_link(product: Product, levels: list[ResolverPath], link_type: str) -> dict | None:
    """The link of this type at the most specific level that has one (walk-up), or None."""
    for level in levels:
        targets = links_of(product, level).get(link_type)
        if targets:
            return targets[0]
    return None
