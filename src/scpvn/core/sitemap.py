"""The site's lists, found in its URL configuration: every page that lists objects and every
API list that takes no argument. The test that no list reads a query per row and the page
benchmark (`bench/bench_load.py`) walk them, so a new list is checked and measured without
anyone naming it."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic.list import MultipleObjectMixin


@dataclass(frozen=True)
class Listing:
    url: str
    view: type  # the ListView, or the API's viewset
    api: bool


def listings() -> list[Listing]:
    found: list[Listing] = []

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
                page = getattr(entry.callback, "view_class", None)
                actions = getattr(entry.callback, "actions", None) or {}
                if actions.get("get") == "list":
                    view, api = entry.callback.cls, True
                elif page is not None and issubclass(page, MultipleObjectMixin):
                    view, api = page, False
                else:
                    continue
                found.append(Listing(reverse(f"{namespace}{entry.name}"), view, api))

    walk(get_resolver().url_patterns, "")
    return found
