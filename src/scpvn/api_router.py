"""One REST router for every app: each app's `api.register(router)` adds its endpoints,
so `/api/` lists them all and the OpenAPI schema covers them all."""

from rest_framework.routers import DefaultRouter

from scpvn.core.modules import app_submodules

router = DefaultRouter()
for module in app_submodules("api"):
    module.register(router)
