"""Finding the optional per-app modules (`api`, `demo`, `tests.access_matrix`) the project
assembles from its apps, so that adding an app never means editing a central list."""

from importlib import import_module
from types import ModuleType

from django.conf import settings


def app_submodules(name: str) -> list[ModuleType]:
    """`<app>.<name>` for every scpvn app that has one, in INSTALLED_APPS order. A module that
    exists but fails to import raises, rather than silently dropping the app's part."""
    found = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("scpvn."):
            continue
        try:
            found.append(import_module(f"{app}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{name}" and not f"{app}.{name}".startswith(f"{exc.name}."):
                raise
    return found
