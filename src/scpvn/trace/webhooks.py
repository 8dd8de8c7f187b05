"""Sending a subscription's results to its `dest`: which destinations are allowed, and a
signed POST that goes only where the check said.

A subscriber names any URL, so the repository must not become a way into the servers
around it (SSRF): only http(s), no user:password in the URL, and no loopback, private,
link-local, multicast or reserved address unless SCPVN_EPCIS_WEBHOOK_ALLOW_PRIVATE is set
(a test rig, or a partner on the same private network). The name is resolved again at each
delivery and the connection is made to the address that was checked, so a name that
changes its answer after the check (DNS rebinding) cannot reach inside; redirects are not
followed.

The body is signed as the binding asks: `GS1-Signature` is base64(HMAC-SHA256(signatureToken,
body)), the form FasterEPCIS's webhooks use. A subscriber recomputes it over the raw bytes
it received and compares.
"""

import base64
import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

SIGNATURE_HEADER = "GS1-Signature"
MAX_DEST_LENGTH = 2000


class DestinationRefused(ValueError):
    """A dest the repository will not send to."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent in the request line


def signature(token: str, body: bytes) -> str:
    digest = hmac.new(token.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def parse_dest(dest) -> Destination:
    """The parts of a dest URL, or DestinationRefused (without resolving the name)."""
    if not isinstance(dest, str) or not dest or len(dest) > MAX_DEST_LENGTH:
        raise DestinationRefused(f"dest phải là URL http(s) dài tối đa {MAX_DEST_LENGTH} ký tự")
    try:
        parts = urlsplit(dest)
        port = parts.port
    except ValueError as exc:
        raise DestinationRefused(f"dest không phải URL hợp lệ: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise DestinationRefused("dest phải bắt đầu bằng http:// hoặc https://")
    if not parts.hostname:
        raise DestinationRefused("dest thiếu tên máy chủ")
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused("dest không được chứa tên người dùng hoặc mật khẩu")
    if any(ch in dest for ch in "\r\n\t "):
        raise DestinationRefused("dest không được chứa khoảng trắng")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return Destination(
        parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), target
    )


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if getattr(settings, "SCPVN_EPCIS_WEBHOOK_ALLOW_PRIVATE", False):
        return not ip.is_multicast and not ip.is_unspecified
    return ip.is_global and not ip.is_multicast


def resolve(destination: Destination) -> list[tuple]:
    """The addresses to connect to, every one of them allowed; DestinationRefused if the
    name does not resolve or resolves (even in part) to a refused address."""
    try:
        found = socket.getaddrinfo(
            destination.host, destination.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (socket.gaierror, UnicodeError) as exc:
        raise DestinationRefused(f"Không phân giải được {destination.host}: {exc}") from exc
    if not found:
        raise DestinationRefused(f"Không phân giải được {destination.host}")
    for _family, _type, _proto, _name, sockaddr in found:
        if not _allowed(sockaddr[0]):
            raise DestinationRefused(
                f"dest {destination.host} trỏ tới địa chỉ nội bộ {sockaddr[0]}, không được phép"
            )
    return found


def check_dest(dest) -> Destination:
    """Refuse a dest now, at subscription time (the same check runs again at delivery)."""
    destination = parse_dest(dest)
    resolve(destination)
    return destination


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, address: tuple, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection(self._address[:2], self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, address: tuple, *args, **kwargs):
        super().__init__(*args, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection(self._address[:2], self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def post(dest: str, body: bytes, token: str = "", content_type: str = "application/json") -> int:
    """POST the body to dest (checked again now) and return the HTTP status. Raises
    DestinationRefused, or OSError / http.client.HTTPException when the exchange fails."""
    destination = parse_dest(dest)
    address = resolve(destination)[0][4]
    timeout = settings.SCPVN_EPCIS_WEBHOOK_TIMEOUT
    kind = _PinnedHTTPSConnection if destination.scheme == "https" else _PinnedHTTPConnection
    connection = kind(address, destination.host, destination.port, timeout=timeout)
    headers = {
        "Content-Type": content_type,
        "GS1-EPCIS-Version": "2.0.0",
        "GS1-CBV-Version": "2.0.0",
        "User-Agent": "scpvn-epcis-webhook",
    }
    if token:
        headers[SIGNATURE_HEADER] = signature(token, body)
    try:
        connection.request("POST", destination.target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)
        return response.status
    finally:
        connection.close()
