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
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PIN = "123456"
CRL_URL = "http://127.0.0.1:9/ca.crl"  # never fetched: tests turn fetching off
NOW = dt.datetime.now(dt.UTC)


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Issued:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    def p12(self, ca: "Issued", pin: str = PIN) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"k",
            self.key,
            self.cert,
            [ca.cert],
            serialization.BestAvailableEncryption(pin.encode()),
        )

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))


def _cert(cn, issuer: Issued | None, *, ca=False, days=(-1, 365), usage=None, eku=None) -> Issued:
    key = _key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer.cert.subject if issuer else _name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW + dt.timedelta(days=days[0]))
        .not_valid_after(NOW + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    flags = dict.fromkeys(
        [
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ],
        False,
    )
    for name in usage or (
        ["key_cert_sign", "crl_sign"] if ca else ["digital_signature", "content_commitment"]
    ):
        flags[name] = True
    builder = builder.add_extension(x509.KeyUsage(**flags), critical=True)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
        # Declared, as a real CA does, so revocation is checked (against the CRL in settings).
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return Issued(builder.sign((issuer or Issued(None, key)).key, hashes.SHA256()), key)


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
