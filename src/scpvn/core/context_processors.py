from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

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
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
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


def link_entry(item: NavItem, url: str, current: str) -> dict:
    return {
        "label": item.label,
        "url": url,
        "order": item.order,
        "active": url != "/" and current.startswith(url),
        "children": [],
    }
