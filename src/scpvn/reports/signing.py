"""PAdES signatures on issued documents, and the check of any signed PDF (pyHanko).

Decree 30/2020/NĐ-CP, Appendix I: an electronic document carries the digital signature of
the competent person, in the signature block between their title and name, and then the
agency's, over the left third of the person's. The visible content of both (who, when) is
drawn by the document template in the document's typeface; the signature fields are placed
exactly over it and draw only a thin frame.

Keys come through `KeySource` adapters (`scpvn.reports.keys`): a PKCS#12 file, a PKCS#11
token, or a remote-signing service. Certificates are checked before anything is signed
(validity period, revocation, trust, purpose), so a refused certificate leaves nothing
behind; the timestamp comes from `SCPVN_SIGN_TSA_URL` when one is configured.
"""

import asyncio
import io
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem, x509
from asn1crypto.crl import CertificateList
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import BaseStamp, BaseStampStyle
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cert_errors

from scpvn.reports.errors import DocumentError

# The person's signature box in the template (mm); the agency's covers its left third.
PERSON_BOX_MM = (60, 24)
PT_PER_MM = 72 / 25.4
# Extended key usages that say "this key is for something else" when they are all a
# certificate allows (a TLS server or client key is not a document-signing key).
FOREIGN_PURPOSES = {"server_auth", "client_auth", "code_signing", "time_stamping", "ocsp_signing"}


class FrameStampStyle(BaseStampStyle):
    """A signature appearance that only frames the box: the text under it is the page's."""

    def create_stamp(self, writer, box, text_params) -> BaseStamp:
        return _FrameStamp(writer, self, box)


class _FrameStamp(BaseStamp):
    def _render_inner_content(self):
        return []


FRAME = FrameStampStyle(border_width=1, border_color=(0.75, 0.1, 0.1))


# --- certificates ------------------------------------------------------------------------


def _load_certs(path: str) -> list[x509.Certificate]:
    data = Path(path).read_bytes()
    if pem.detect(data):
        return [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def _load_crl(path: str) -> CertificateList:
    data = Path(path).read_bytes()
    if pem.detect(data):
        data = pem.unarmor(data)[2]
    return CertificateList.load(data)


def validation_context(**extra) -> ValidationContext:
    """Trust anchors (`SCPVN_SIGN_TRUST_ROOTS`, a PEM file of the CAs the app trusts, e.g. the
    national root CA), revocation lists at hand (`SCPVN_SIGN_CRLS`), and whether to fetch
    CRLs/OCSP on line (`SCPVN_SIGN_FETCH_REVOCATION`)."""
    roots = [c for path in settings.SCPVN_SIGN_TRUST_ROOTS for c in _load_certs(path)]
    crls = [_load_crl(path) for path in settings.SCPVN_SIGN_CRLS]
    return ValidationContext(
        trust_roots=roots,
        crls=crls,
        allow_fetching=settings.SCPVN_SIGN_FETCH_REVOCATION,
        revocation_mode="soft-fail",
        **extra,
    )


def describe(cert: x509.Certificate) -> str:
    """A certificate's holder as people read it: the common name, else the whole subject."""
    name = cert.subject.native
    return name.get("common_name") or cert.subject.human_friendly


def check_certificate(signer: signers.Signer) -> None:
    """Refuses a certificate that may not sign a document now: expired or not yet valid,
    revoked, issued by a CA the app does not trust, or made for another purpose."""
    cert = signer.signing_cert
    who = describe(cert)
    eku = cert.extended_key_usage_value
    if eku is not None and set(eku.native) <= FOREIGN_PURPOSES:
        raise ValidationError(
            _("Chứng thư số của %(who)s không dùng để ký văn bản (mục đích: %(p)s).")
            % {"who": who, "p": ", ".join(eku.native)},
            code=DocumentError.CERT_PURPOSE,
        )
    validator = CertificateValidator(
        cert, intermediate_certs=list(signer.cert_registry), validation_context=validation_context()
    )
    try:
        asyncio.run(validator.async_validate_usage({"digital_signature"}))
    except cert_errors.RevokedError as exc:
        raise ValidationError(
            _("Chứng thư số của %(who)s đã bị thu hồi.") % {"who": who},
            code=DocumentError.CERT_REVOKED,
        ) from exc
    except (cert_errors.ExpiredError, cert_errors.NotYetValidError) as exc:
        raise ValidationError(
            _("Chứng thư số của %(who)s đã hết hạn hoặc chưa có hiệu lực (%(from)s – %(to)s).")
            % {
                "who": who,
                "from": f"{cert.not_valid_before:%d/%m/%Y}",
                "to": f"{cert.not_valid_after:%d/%m/%Y}",
            },
            code=DocumentError.CERT_EXPIRED,
        ) from exc
    except cert_errors.InvalidCertificateError as exc:
        raise ValidationError(
            _("Chứng thư số của %(who)s không dùng để ký văn bản: %(e)s") % {"who": who, "e": exc},
            code=DocumentError.CERT_PURPOSE,
        ) from exc
    except (cert_errors.PathBuildingError, cert_errors.PathValidationError) as exc:
        raise ValidationError(
            _("Chứng thư số của %(who)s không do tổ chức chứng thực được tin cậy cấp: %(e)s")
            % {"who": who, "e": exc},
            code=DocumentError.CERT_UNTRUSTED,
        ) from exc


# --- signing -----------------------------------------------------------------------------


def timestamper() -> TimeStamper | None:
    """The configured RFC 3161 time-stamping authority, if any."""
    url = settings.SCPVN_SIGN_TSA_URL
    return HTTPTimeStamper(url, timeout=settings.SCPVN_SIGN_TSA_TIMEOUT) if url else None


@dataclass(frozen=True)
class Placement:
    """A signature field: its name, page and box (x1, y1, x2, y2 in PDF points)."""

    field: str
    page: int
    box: tuple[int, int, int, int]


def placements(page: int, x: float, y: float) -> tuple[Placement, Placement]:
    """The person's box with its top-left corner at (x, y), and the agency's over its left
    third (Decree 30, Appendix I)."""
    width, height = (v * PT_PER_MM for v in PERSON_BOX_MM)
    person = (round(x), round(y - height), round(x + width), round(y))
    shift = round(width * 2 / 3)
    agency = (person[0] - shift, person[1], person[2] - shift, person[3])
    return Placement("ChuKyNguoiKy", page, person), Placement("ChuKyCoQuan", page, agency)


def sign_pdf(
    pdf: bytes, place: Placement, signer: signers.Signer, *, reason: str, location: str
) -> bytes:
    """One PAdES signature (with a timestamp when a TSA is configured) as an incremental
    update of `pdf`. An unreachable TSA is refused, not silently skipped."""
    meta = signers.PdfSignatureMetadata(
        field_name=place.field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        timestamper=timestamper(),
        stamp_style=FRAME,
        new_field_spec=fields.SigFieldSpec(place.field, on_page=place.page, box=place.box),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    try:
        return pdf_signer.sign_pdf(writer).getvalue()
    except (OSError, ConnectionError) as exc:  # TimestampRequestError is an IOError
        raise ValidationError(
            _("Không lấy được dấu thời gian từ %(url)s: %(e)s")
            % {"url": settings.SCPVN_SIGN_TSA_URL, "e": exc},
            code=DocumentError.TSA_UNREACHABLE,
        ) from exc


# --- verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """What a reader of a signed PDF wants to know about one signature."""

    field: str
    signer: str
    signed_at: str  # as the signer's machine claims it
    timestamp: str  # from the TSA, when there is one
    intact: bool  # the signed bytes are unchanged
    valid: bool  # and the cryptography is sound
    trusted: bool  # and the certificate chains to a trusted root
    changed_after: bool  # the document was changed afterwards beyond adding signatures
    modification: str
    chain: list[str]

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.changed_after


ALLOWED_AFTER = {
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
}


def _when(value) -> str:
    return f"{value:%d/%m/%Y %H:%M:%S %Z}".strip() if value else ""


def verify_pdf(data: bytes) -> list[SignatureCheck]:
    """Every signature in `data`, checked against the app's trust anchors."""
    # The file is anyone's upload: whatever a malformed PDF makes the parser raise is the
    # uploader's problem to be told about, never a server error.
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:
        raise ValidationError(
            _("Tệp không phải PDF đọc được: %(e)s") % {"e": exc}, code=DocumentError.BAD_PDF
        ) from exc
    if not embedded:
        raise ValidationError(_("Tệp PDF không có chữ ký số."), code=DocumentError.NOT_SIGNED)
    checks = []
    for sig in embedded:
        try:
            status = validate_pdf_signature(sig, signer_validation_context=validation_context())
        except Exception as exc:
            raise ValidationError(
                _("Không kiểm tra được chữ ký %(f)s: %(e)s") % {"f": sig.field_name, "e": exc},
                code=DocumentError.BAD_PDF,
            ) from exc
        path = status.validation_path
        chain = [describe(c) for c in path] if path is not None else [describe(status.signing_cert)]
        level = status.modification_level
        stamp = status.timestamp_validity
        checks.append(
            SignatureCheck(
                field=sig.field_name,
                signer=describe(status.signing_cert),
                signed_at=_when(status.signer_reported_dt),
                timestamp=_when(stamp.timestamp) if stamp else "",
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                changed_after=not status.intact or level is None or level not in ALLOWED_AFTER,
                modification=level.name if level is not None else "UNKNOWN",
                chain=chain,
            )
        )
    return checks
