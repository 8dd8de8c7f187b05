"""One REST router for every app: each app's `api.register(router)` adds its endpoints,
so `/api/` lists them all and the OpenAPI schema covers them all."""

from importlib import import_module

from django.conf import settings
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
for app in settings.INSTALLED_APPS:
    if not app.startswith("scpvn."):
        continue
    try:
        module = import_module(f"{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.api":
            raise
        continue
    module.register(router)
