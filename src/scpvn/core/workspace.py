"""Sections of an enterprise user's workspace, declared by the apps that own the records.

Each app lists its sections in its AppConfig (`workspace = [WorkspaceSection(...)]`), as it
does its menu entries, so the workspace page shows an enterprise's surveys, products and
fair applications without importing the apps that hold them."""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class WorkspaceRow:
    label: str
    url: str = ""
    note: str | Promise = ""


@dataclass(frozen=True)
class WorkspaceSection:
    title: str | Promise
    rows: str  # dotted path of a function(user) -> list[WorkspaceRow]
    empty: str | Promise  # what the section says when it has no rows
    order: int = 100
    more_url_name: str = ""  # the app's own page, linked under the rows
