"""A throwaway certification authority made at test time (no key material in the
repository): a root CA, a person's and an agency's signing certificates, an expired, a
revoked and a TLS-only one, a CRL, a time-stamping authority served over HTTP on loopback,
and a stand-in remote-signing service."""

import base64
import datetime as dt
import http.server
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import ExtendedKeyUsageOID

from scpvn.reports.demo_keys import NOW, PIN, Issued, issue_certificate

CRL_URL = "http://127.0.0.1:9/ca.crl"  # never fetched: tests turn fetching off


def _cert(cn, issuer, **kw) -> Issued:
    return issue_certificate(cn, issuer, crl_url=CRL_URL, **kw)


@dataclass
class Pki:
    directory: Path
    ca: Issued = field(init=False)

    def __post_init__(self):
        self.ca = _cert("CA thử nghiệm scpvn", None, ca=True, days=(-30, 3650))
        self.person = _cert("Lê Hồng Thăng", self.ca)
        self.agency = _cert("Sở Công Thương Hà Nội", self.ca)
        self.expired = _cert("Nguyễn Văn Hết Hạn", self.ca, days=(-400, -35))
        self.revoked = _cert("Trần Thị Thu Hồi", self.ca)
        self.tls = _cert(
            "may-chu.example.vn",
            self.ca,
            usage=["key_encipherment"],
            eku=[ExtendedKeyUsageOID.SERVER_AUTH],
        )
        self.tsa = _cert("TSA thử nghiệm", self.ca, eku=[ExtendedKeyUsageOID.TIME_STAMPING])
        self.roots = self.directory / "roots.pem"
        self.roots.write_bytes(self.ca.cert.public_bytes(serialization.Encoding.PEM))
        crl = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.ca.cert.subject)
            .last_update(NOW - dt.timedelta(days=1))
            .next_update(NOW + dt.timedelta(days=30))
            .add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(self.revoked.cert.serial_number)
                .revocation_date(NOW - dt.timedelta(days=1))
                .build()
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca.key.public_key()),
                critical=False,
            )
            .add_extension(x509.CRLNumber(1), critical=False)
            .sign(self.ca.key, hashes.SHA256())
        )
        self.crl = self.directory / "ca.crl"
        self.crl.write_bytes(crl.public_bytes(serialization.Encoding.DER))
        self.agency_p12 = self.directory / "agency.p12"
        self.agency_p12.write_bytes(self.agency.p12(self.ca))

    def configure(self, settings, tsa_url: str = "") -> None:
        settings.SCPVN_SIGN_TRUST_ROOTS = [str(self.roots)]
        settings.SCPVN_SIGN_CRLS = [str(self.crl)]
        settings.SCPVN_SIGN_FETCH_REVOCATION = False
        settings.SCPVN_SIGN_TSA_URL = tsa_url
        settings.SCPVN_AGENCY_SIGNERS = {
            "SCT": {"kind": "pkcs12", "path": str(self.agency_p12), "pin": PIN}
        }


class _Server(threading.Thread):
    """An HTTP server on 127.0.0.1 answering with `handle(path, body, headers)`."""

    def __init__(self, handle):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self, body: bytes):
                status, ctype, payload = handle(self.path, body, self.headers)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                self._answer(b"")

            def do_POST(self):
                self._answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def log_message(self, *args):
                pass

        super().__init__(daemon=True)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        outer.start()

    def run(self):
        self.httpd.serve_forever()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def tsa_server(pki: Pki) -> _Server:
    """An RFC 3161 responder: pyHanko's test time stamper behind HTTP."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key = asn1_keys.PrivateKeyInfo.load(
        pki.tsa.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    stamper = DummyTimeStamper(tsa_cert=pki.tsa.asn1, tsa_key=key)

    def handle(path, body, headers):
        request = tsp.TimeStampReq.load(body)
        response = stamper.request_tsa_response(request)
        return 200, "application/timestamp-reply", response.dump()

    return _Server(handle)


def remote_signing_server(holder: Issued, ca: Issued, token: str) -> _Server:
    """A stand-in remote-signing service holding one key (`keys/can-bo`)."""

    def der(cert):
        return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()

    def handle(path, body, headers):
        if headers.get("Authorization") != f"Bearer {token}":
            return 401, "application/json", b'{"error": "unauthorized"}'
        if path == "/keys/can-bo":
            data = {"certificate": der(holder.cert), "chain": [der(ca.cert)]}
        elif path == "/keys/can-bo/sign":
            request = json.loads(body)
            signature = holder.key.sign(
                base64.b64decode(request["data"]), padding.PKCS1v15(), hashes.SHA256()
            )
            data = {"signature": base64.b64encode(signature).decode()}
        else:
            return 404, "application/json", b"{}"
        return 200, "application/json", json.dumps(data).encode()

    return _Server(handle)
