"""The accounts API: a user's own tokens."""

from scpvn.orgs.token_views import TokenViewSet


def register(router) -> None:
    router.register("tokens", TokenViewSet, basename="token")
