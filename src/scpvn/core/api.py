"""The core's API: a user's own tokens."""

from scpvn.core.token_views import TokenViewSet


def register(router) -> None:
    router.register("tokens", TokenViewSet, basename="token")
