"""Main-menu entries. Each app declares its own in its AppConfig (`nav = [...]`), so an app
can be added without editing the shared base template."""

from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every signed-in user
    order: int = 100
