"""Cross-cutting HTTP protections: the Content-Security-Policy and the database-down answer."""

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from scpvn.core.problems import database_unavailable

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware:
    """Sends `settings.CSP_POLICY` on every response, with a fresh script nonce per request.

    Templates that really need an inline script write `<script nonce="{{ request.csp_nonce }}">`;
    anything injected without the nonce (stored XSS) does not run. A view that sets its own
    header (e.g. a stricter one for served files) keeps it. A page cached whole (cache_page)
    replays an old nonce, so such pages keep their scripts in static files.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        # A 304 keeps the policy the browser stored with the page, whose nonce matches it.
        if "Content-Security-Policy" not in response and response.status_code != 304:
            response["Content-Security-Policy"] = build_policy(request.csp_nonce)
        return response


def build_policy(nonce: str) -> str:
    return "; ".join(
        f"{directive} {' '.join(sources).format(nonce=nonce)}"
        for directive, sources in settings.CSP_POLICY.items()
    )


class DatabaseUnavailableMiddleware:
    """A lost or refused database connection answers 503 (page or problem+json) with a
    Retry-After, never a traceback: the outage is the operator's to fix, not the user's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("database unavailable: %s", exception)
            return database_unavailable(request)
        return None
