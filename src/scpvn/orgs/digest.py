"""HTTP Digest authentication (RFC 7616, qop="auth", algorithm MD5), as ODK Collect speaks it
by default.

The server checks a request's `response` against the user's partial digest HA1 =
MD5(username:realm:password) (`orgs.models.PartialDigest`, written whenever the raw password
passes through the server), so no reversible password is kept.

Nonces are stateless: `<issued>.<random>.<signature>`, signed with SECRET_KEY, so any app
server can check one another issued. A nonce older than SCPVN_DIGEST_NONCE_SECONDS is
answered with `stale=true` when the response was otherwise right (the device asks again
without asking the officer). Replays are refused: each nonce-count (`nc`) of a nonce is
accepted once, recorded in the cache for the nonce's lifetime (shared by every app server when
REDIS_URL is set). Counts may arrive out of order (Collect sends in parallel), never twice.
Wrong answers count as failed sign-ins for the login throttle (django-axes), as Basic does.

Only this module reads the Authorization header's Digest parameters; what the authenticated
user may see stays with the views' own scope checks.
"""

import hashlib
import secrets
import time
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from scpvn.orgs.models import PartialDigest

_NONCE_SALT = "scpvn.orgs.digest.nonce"
_OPAQUE_SALT = "scpvn.orgs.digest.opaque"


def enabled() -> bool:
    return settings.SCPVN_OPENROSA_DIGEST


def realm() -> str:
    return settings.SCPVN_DIGEST_REALM


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _sign(payload: str) -> str:
    return salted_hmac(_NONCE_SALT, f"{payload}.{realm()}", algorithm="sha256").hexdigest()[:32]


def make_nonce(now: float | None = None) -> str:
    payload = f"{int(time.time() if now is None else now)}.{secrets.token_hex(8)}"
    return f"{payload}.{_sign(payload)}"


def opaque() -> str:
    """Echoed back unchanged by the client; fixed per realm and secret."""
    return salted_hmac(_OPAQUE_SALT, realm(), algorithm="sha256").hexdigest()[:32]


def challenge(stale: bool = False) -> str:
    """The Digest challenge of a 401 (RFC 7616 §3.3)."""
    value = (
        f'Digest realm="{realm()}", qop="auth", nonce="{make_nonce()}", '
        f'opaque="{opaque()}", algorithm=MD5'
    )
    return value + (", stale=true" if stale else "")


class DigestRefused(Exception):
    """A Digest Authorization that does not sign the request in; `stale` asks the client to
    retry with the fresh nonce of the new challenge."""

    def __init__(self, message: str, stale: bool = False):
        super().__init__(message)
        self.message = message
        self.stale = stale


@dataclass(frozen=True)
class Credentials:
    username: str
    realm: str
    nonce: str
    uri: str
    response: str
    opaque: str
    qop: str
    nc: str
    cnonce: str
    algorithm: str


def parse(credentials: str) -> Credentials:
    """The parameters after `Digest ` (quoted or not, in any order)."""
    try:
        params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(credentials))
    except ValueError:
        raise DigestRefused(_("Tiêu đề Digest không đọc được.")) from None
    params = {k.lower(): v for k, v in params.items()}
    needed = ("username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce")
    if any(not params.get(name) for name in needed):
        # Without qop there is no nonce-count, hence no replay check: RFC 2069 clients are
        # refused.
        raise DigestRefused(_("Tiêu đề Digest thiếu tham số (cần qop=auth, nc, cnonce)."))
    return Credentials(
        username=params["username"],
        realm=params["realm"],
        nonce=params["nonce"],
        uri=params["uri"],
        response=params["response"].lower(),
        opaque=params.get("opaque", ""),
        qop=params["qop"],
        nc=params["nc"],
        cnonce=params["cnonce"],
        algorithm=params.get("algorithm", "MD5"),
    )


def _nonce_issued(nonce: str) -> int | None:
    """When a nonce this server signed was issued; None for a forged or foreign one."""
    issued, _dot, rest = nonce.partition(".")
    random_part, _dot, signature = rest.partition(".")
    if not (issued.isdigit() and random_part and signature):
        return None
    if not constant_time_compare(signature, _sign(f"{issued}.{random_part}")):
        return None
    return int(issued)


def _uri_matches(uri: str, request: HttpRequest) -> bool:
    """The digest-uri names this request (its path and query; an absolute URI is allowed)."""
    parts = urlsplit(uri)
    sent = parts.path + (f"?{parts.query}" if parts.query else "")
    return sent == request.get_full_path()


def expected_response(ha1: str, creds: Credentials, method: str) -> str:
    ha2 = _md5(f"{method}:{creds.uri}")
    return _md5(f"{ha1}:{creds.nonce}:{creds.nc}:{creds.cnonce}:{creds.qop}:{ha2}")


def _failed(request: HttpRequest, username: str) -> DigestRefused:
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return DigestRefused(_("Tên đăng nhập hoặc mật khẩu không đúng."))


def authenticate(request: HttpRequest, credentials: str):
    """The user a Digest Authorization signs in, or DigestRefused (with `stale` for a right
    answer to an expired nonce)."""
    creds = parse(credentials)
    if not enabled():
        raise DigestRefused(_("Máy chủ này không nhận Digest; dùng Basic qua HTTPS hoặc token."))
    if (
        creds.realm != realm()
        or creds.qop != "auth"
        or creds.algorithm.upper() != "MD5"
        or not constant_time_compare(creds.opaque, opaque())
    ):
        raise DigestRefused(_("Tham số Digest không khớp thách thức của máy chủ."))
    if not _uri_matches(creds.uri, request):
        raise DigestRefused(_("Tham số uri của Digest không khớp địa chỉ yêu cầu."))
    try:
        nc = int(creds.nc, 16)
    except ValueError:
        raise DigestRefused(_("Tham số nc của Digest không đọc được.")) from None
    issued = _nonce_issued(creds.nonce)
    if issued is None:
        raise DigestRefused(_("Nonce không do máy chủ này cấp."))
    if not AxesProxyHandler.is_allowed(request, {"username": creds.username}):
        raise DigestRefused(_("Đăng nhập sai quá nhiều lần; hãy thử lại sau."))
    user = (
        get_user_model()
        ._default_manager.filter(**{get_user_model().USERNAME_FIELD: creds.username})
        .first()
    )
    stored = PartialDigest.for_user(user) if user is not None else None
    if stored is None:
        # An unknown name gets the same answer as a known one without a digest: the reply
        # does not tell which accounts exist.
        raise DigestRefused(
            _(
                "Tài khoản này chưa có khoá Digest: hãy đăng nhập một lần trên trang web "
                "(hoặc đổi mật khẩu), hoặc dùng Basic qua HTTPS hay token."
            )
        )
    if not constant_time_compare(
        creds.response, expected_response(stored.ha1, creds, request.method or "GET")
    ):
        raise _failed(request, creds.username)
    lifetime = settings.SCPVN_DIGEST_NONCE_SECONDS
    if time.time() - issued > lifetime:
        raise DigestRefused(_("Nonce đã hết hạn."), stale=True)
    # one acceptance per (nonce, nc): the nonce is dead after its lifetime anyway
    if not cache.add(f"openrosa-digest:{creds.nonce}:{nc}", 1, timeout=lifetime + 60):
        raise DigestRefused(_("Yêu cầu Digest này đã được dùng (nonce-count lặp lại)."))
    return user
