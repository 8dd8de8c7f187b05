"""Main-menu entries. Each app declares its own in its AppConfig (`nav = [...]`), so an app
can be added without editing the shared base template. Entries that name a `group` open from
one dropdown, so the staff menu fits one line at 1280 px in Vietnamese and in English."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavGroup:
    label: str | Promise
    order: int


# The menu's dropdowns, in the order they show.
NAV_GROUPS = {
    "plan": NavGroup(_("Kế hoạch"), 10),
    "enterprise": NavGroup(_("Doanh nghiệp"), 30),
    "admin": NavGroup(_("Quản trị"), 90),
}


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every signed-in user
    order: int = 100
    group: str = ""  # a key of NAV_GROUPS, or "" for a link of its own
