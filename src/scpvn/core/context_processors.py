from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from scpvn.core.navigation import NAV_GROUPS, NavItem


def navigation(request: HttpRequest) -> dict:
    """The menu the signed-in user may open: links and dropdowns in the declared order.

    A group the user sees only one entry of shows as that entry's link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.path
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for config in apps.get_app_configs():
        for item in getattr(config, "nav", ()):
            if item.roles and not user.has_role(*item.roles):
                continue
            url = menu_url(item.url_name)
            if url is None:
                continue
            link = link_entry(item, url, current)
            group = NAV_GROUPS.get(item.group)
            if group is None:
                entries.append(link)
                continue
            if item.group not in groups:
                groups[item.group] = {"label": group.label, "order": group.order, "children": []}
                entries.append(groups[item.group])
            groups[item.group]["children"].append(link)
    for entry in groups.values():
        entry["children"].sort(key=lambda child: child["order"])
        entry["active"] = any(child["active"] for child in entry["children"])
        if len(entry["children"]) == 1:
            entry.update(entry["children"][0])
            entry["children"] = []
    entries.sort(key=lambda entry: entry["order"])
    return {"nav_items": entries}


# (URL configuration, script prefix, URL name) → its path, None when it has none
_menu_urls: dict[tuple[str, str, str], str | None] = {}


def menu_url(name: str) -> str | None:
    """A menu entry's path, reversed once per URL configuration and prefix: the menu's two
    dozen `reverse` calls were a twentieth of a list page's time, on every page."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)
    if key not in _menu_urls:
        try:
            _menu_urls[key] = reverse(name)
        except NoReverseMatch:
            _menu_urls[key] = None
    return _menu_urls[key]


def link_entry(item: NavItem, url: str, current: str) -> dict:
    return {
        "label": item.label,
        "url": url,
        "order": item.order,
        "active": url != "/" and current.startswith(url),
        "children": [],
    }
