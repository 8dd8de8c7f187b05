"""Throwaway keys for trying the signing of documents: a certification authority, a
person's and an agency's signing certificates, made on this machine when asked for (`scpvn
report keys`, and the tests). Nothing here is a key of any real CA; the repository holds no
key material."""

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PIN = "123456"
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


def issue_certificate(
    cn, issuer: Issued | None, *, ca=False, days=(-1, 365), usage=None, eku=None, crl_url=""
) -> Issued:
    """A certificate for `cn` signed by `issuer` (self-signed when None), valid `days`
    around now; a document-signing key unless `usage`/`eku` say otherwise."""
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
    if issuer and crl_url:  # declared, as a real CA does, so revocation is checked
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return Issued(builder.sign((issuer or Issued(None, key)).key, hashes.SHA256()), key)


def write_demo_keys(directory: Path, agency_code: str, agency: str, person: str) -> dict:
    """A CA, the agency's key and a person's key in `directory`; returns the settings (as
    environment variables) that make the app trust the CA and sign for the agency, and the
    person's key file and PIN to give on the report page."""
    directory.mkdir(parents=True, exist_ok=True)
    ca = issue_certificate("CA thử nghiệm scpvn (không dùng thật)", None, ca=True, days=(-1, 3650))
    files = {"ca": directory / "ca.pem", "agency": directory / f"{agency_code.lower()}.p12"}
    files["person"] = directory / "nguoi-ky.p12"
    files["ca"].write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM))
    files["agency"].write_bytes(issue_certificate(agency, ca).p12(ca))
    files["person"].write_bytes(issue_certificate(person, ca).p12(ca))
    for path in files.values():
        path.chmod(0o600)
    signers = {agency_code: {"kind": "pkcs12", "path": str(files["agency"]), "pin": PIN}}
    return {
        "SCPVN_SIGN_TRUST_ROOTS": str(files["ca"]),
        "SCPVN_AGENCY_SIGNERS": json.dumps(signers, ensure_ascii=False),
        "person_key": str(files["person"]),
        "pin": PIN,
    }
