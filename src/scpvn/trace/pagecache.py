"""What the consumer page's ETag is made of, remembered in Django's cache so that a phone
revalidating a page it already has (If-None-Match) costs no database query at all.

Each GTIN has a generation number; capturing an event that names the GTIN bumps it, which
retires every remembered page of that product at once. With the default per-process cache
another worker process notices only when its entry expires (PAGE_TTL, shorter than the
page's own max-age of 60 s); with a shared cache (Redis, database) it notices at once.

A page's entry holds the generation it was computed under beside its version, so the
generation and the entry are read together, in one round trip to a shared cache.

The page's content (all but the problem-report form, which carries the visitor's CSRF
token) is remembered under its version too, so a phone without the page renders only the
frame around it while the version holds.
"""

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache

PAGE_TTL = 30


def _generation_key(gtin: str) -> str:
    return f"trace:gen:{gtin}"


@dataclass(frozen=True)
class PageSlot:
    """Where a page's version is remembered, and the GTIN's generation it was read under."""

    key: str
    generation: int


def remembered_version(gtin: str, lot: str, serial: str) -> tuple[PageSlot, str | None]:
    """The page's slot and its remembered version: None when nothing is remembered, or
    one remembered before the GTIN's last capture. A generation the cache lost
    (evicted, or never set) is replaced by a new one, never by an old value an entry still
    remembered might hold."""
    generation_key = _generation_key(gtin)
    key = f"trace:page:{gtin}:{lot}:{serial}"
    found = cache.get_many([generation_key, key])
    generation = found.get(generation_key)
    if generation is None:
        fresh = time.time_ns()
        generation = fresh if cache.add(generation_key, fresh, None) else cache.get(generation_key)
    entry = found.get(key)
    version = entry[1] if entry is not None and entry[0] == generation else None
    return PageSlot(key, generation), version


def remember_version(slot: PageSlot, version: str) -> None:
    cache.set(slot.key, (slot.generation, version), PAGE_TTL)


def forget_pages(gtins: Iterable[str]) -> None:
    cache.set_many({_generation_key(gtin): time.time_ns() for gtin in gtins}, None)


def body_key(version: str, language: str, path: str) -> str:
    """Where the content of the page at `path` (its query string included: the lots' page
    number, the "reported" note) is remembered for this version and language."""
    digest = hashlib.sha256(f"{version}|{language}|{path}".encode()).hexdigest()[:32]
    return f"trace:body:{digest}"


def remembered_body(key: str) -> tuple[str, str] | None:
    """(title, content) of a page, or None."""
    return cache.get(key)


def remember_body(key: str, title: str, body: str) -> None:
    cache.set(key, (title, body), PAGE_TTL)
