"""What the consumer page's ETag is made of, remembered in Django's cache so that a phone
revalidating a page it already has (If-None-Match) costs no database query at all.

Each GTIN has a generation number; capturing an event that names the GTIN bumps it, which
retires every remembered page of that product at once. With the default per-process cache
another worker process notices only when its entry expires (PAGE_TTL, shorter than the
page's own max-age of 60 s); with a shared cache (Redis, database) it notices at once.
"""

import time
from collections.abc import Iterable

from django.core.cache import cache

PAGE_TTL = 30


def _generation_key(gtin: str) -> str:
    return f"trace:gen:{gtin}"


def page_key(gtin: str, lot: str, serial: str) -> str:
    generation = cache.get_or_set(_generation_key(gtin), 0, None)
    return f"trace:page:{gtin}:{generation}:{lot}:{serial}"


def remembered_version(key: str) -> str | None:
    return cache.get(key)


def remember_version(key: str, version: str) -> None:
    cache.set(key, version, PAGE_TTL)


def forget_pages(gtins: Iterable[str]) -> None:
    cache.set_many({_generation_key(gtin): time.time_ns() for gtin in gtins}, None)
