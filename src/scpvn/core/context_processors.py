from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from scpvn.core.navigation import NavItem


def navigation(request: HttpRequest) -> dict:
    """The menu entries the signed-in user may open, in the apps' declared order."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[tuple[NavItem, str]] = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav", ()):
            if item.roles and not user.has_role(*item.roles):
                continue
            try:
                items.append((item, reverse(item.url_name)))
            except NoReverseMatch:
                continue
    items.sort(key=lambda pair: pair[0].order)
    current = request.path
    return {
        "nav_items": [
            {"label": item.label, "url": url, "active": url != "/" and current.startswith(url)}
            for item, url in items
        ]
    }
