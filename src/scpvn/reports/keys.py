"""Where signing keys live, behind one interface: a PKCS#12 file, a PKCS#11 token (the USB
tokens Vietnamese CAs issue, or an HSM), or a remote-signing service. Issuing a document
asks a `KeySource` for a pyHanko signer and never sees the key itself."""

import asyncio
import base64
import json
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from scpvn.reports.errors import DocumentError


class KeySource(ABC):
    """A key that can sign; `open` yields a pyHanko signer while the key is available (a
    token session stays open only that long)."""

    @abstractmethod
    @contextmanager
    def open(self) -> Iterator[signers.Signer]: ...


MAX_KEY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Pkcs12Key(KeySource):
    """A PKCS#12 (.p12/.pfx) file and its password."""

    data: bytes = field(repr=False)
    pin: str = field(repr=False)

    @classmethod
    def from_upload(cls, upload, pin: str) -> "Pkcs12Key":
        """The key file a signer sends (the issuing page and API)."""
        if upload.size > MAX_KEY_BYTES:
            raise ValidationError(_("Tệp khóa quá lớn."), code=DocumentError.KEY_UNAVAILABLE)
        return cls(upload.read(), pin)

    @contextmanager
    def open(self) -> Iterator[signers.Signer]:
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(self.data, (), self.pin.encode())
        except (ValueError, TypeError):
            signer = None
        if signer is None:
            raise ValidationError(
                _("Không mở được tệp khóa PKCS#12: sai mật khẩu (PIN) hoặc tệp hỏng."),
                code=DocumentError.WRONG_PIN,
            )
        yield signer


@dataclass(frozen=True)
class Pkcs11Key(KeySource):
    """A key on a PKCS#11 token: the vendor's module (`.so`), the token label, the key and
    certificate labels, and the user PIN."""

    module: str
    token: str
    key: str
    pin: str = field(repr=False)
    cert: str = ""

    @contextmanager
    def open(self) -> Iterator[signers.Signer]:
        from pkcs11 import exceptions as p11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        try:
            session = open_pkcs11_session(
                self.module, token_criteria=TokenCriteria(label=self.token), user_pin=self.pin
            )
        except p11.PinIncorrect as exc:
            raise ValidationError(
                _("Sai mã PIN của thiết bị ký số %(t)s.") % {"t": self.token},
                code=DocumentError.WRONG_PIN,
            ) from exc
        except (p11.PKCS11Error, OSError, RuntimeError) as exc:
            raise ValidationError(
                _("Không mở được thiết bị ký số %(t)s: %(e)s") % {"t": self.token, "e": exc},
                code=DocumentError.KEY_UNAVAILABLE,
            ) from exc
        try:
            yield PKCS11Signer(session, key_label=self.key, cert_label=self.cert or self.key)
        finally:
            session.close()


class RemoteSigner(signers.Signer):
    """A pyHanko signer whose private key stays with a remote-signing service speaking a
    small JSON protocol: `GET {url}/keys/{id}` → `{"certificate": b64, "chain": [b64]}`,
    `POST {url}/keys/{id}/sign` `{"data": b64, "digest_algorithm": "sha256"}` →
    `{"signature": b64}`, authorised by `Authorization: Bearer {token}`."""

    def __init__(self, url: str, key_id: str, token: str, timeout: float = 20):
        self.url, self.key_id, self.token, self.timeout = url.rstrip("/"), key_id, token, timeout
        info = self._call("GET")
        cert = x509.Certificate.load(base64.b64decode(info["certificate"]))
        chain = [x509.Certificate.load(base64.b64decode(c)) for c in info.get("chain", [])]
        super().__init__(
            signing_cert=cert, cert_registry=SimpleCertificateStore.from_certs([cert, *chain])
        )

    def _call(self, method: str, body: dict | None = None) -> dict:
        suffix = "/sign" if body is not None else ""
        request = urllib.request.Request(
            f"{self.url}/keys/{self.key_id}{suffix}",
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise ValidationError(
                    _("Dịch vụ ký số từ xa từ chối mã truy cập (PIN)."),
                    code=DocumentError.WRONG_PIN,
                ) from exc
            raise ValidationError(
                _("Dịch vụ ký số từ xa trả lỗi %(c)s.") % {"c": exc.code},
                code=DocumentError.KEY_UNAVAILABLE,
            ) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ValidationError(
                _("Không kết nối được dịch vụ ký số từ xa: %(e)s") % {"e": exc},
                code=DocumentError.KEY_UNAVAILABLE,
            ) from exc

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:  # pyHanko sizes the signature container: no need to bother the service
            return bytes(self.signing_cert.public_key.byte_size)
        body = {"data": base64.b64encode(data).decode(), "digest_algorithm": digest_algorithm}
        answer = await asyncio.to_thread(self._call, "POST", body)
        return base64.b64decode(answer["signature"])


@dataclass(frozen=True)
class RemoteKey(KeySource):
    url: str
    key_id: str
    token: str = field(repr=False)

    @contextmanager
    def open(self) -> Iterator[signers.Signer]:
        yield RemoteSigner(self.url, self.key_id, self.token)


def key_from_config(spec: dict) -> KeySource:
    """A key described in settings: `{"kind": "pkcs12", "path": …, "pin": …}`,
    `{"kind": "pkcs11", "module": …, "token": …, "key": …, "pin": …}` or
    `{"kind": "remote", "url": …, "key_id": …, "token": …}`."""
    kind = spec.get("kind")
    if kind == "pkcs12":
        return Pkcs12Key(Path(spec["path"]).read_bytes(), spec.get("pin", ""))
    if kind == "pkcs11":
        return Pkcs11Key(
            spec["module"], spec["token"], spec["key"], spec["pin"], spec.get("cert", "")
        )
    if kind == "remote":
        return RemoteKey(spec["url"], spec["key_id"], spec.get("token", ""))
    raise ValidationError(
        _("Cấu hình khóa ký không hợp lệ (kind: %(k)s).") % {"k": kind},
        code=DocumentError.KEY_UNAVAILABLE,
    )


def agency_key(agency_code: str) -> KeySource:
    """The agency's own key (its seal), from `SCPVN_AGENCY_SIGNERS`."""
    spec = settings.SCPVN_AGENCY_SIGNERS.get(agency_code)
    if not spec:
        raise ValidationError(
            _("Chưa cấu hình khóa ký số của cơ quan %(a)s (SCPVN_AGENCY_SIGNERS).")
            % {"a": agency_code},
            code=DocumentError.NO_AGENCY_KEY,
        )
    return key_from_config(spec)
