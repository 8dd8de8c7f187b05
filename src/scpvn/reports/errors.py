"""Stable codes of the refusals of issuing, signing and verifying documents (the `code` of
a ValidationError, and of the problem+json an API answers)."""

from enum import StrEnum


class DocumentError(StrEnum):
    NOT_APPROVED = "document_not_approved"
    NO_AGENCY_KEY = "document_no_agency_key"
    NUMBER_USED = "document_number_used"
    ALREADY_CANCELLED = "document_already_cancelled"
    REASON_REQUIRED = "document_reason_required"
    WRONG_PIN = "document_wrong_pin"
    KEY_UNAVAILABLE = "document_key_unavailable"
    CERT_EXPIRED = "document_cert_expired"
    CERT_REVOKED = "document_cert_revoked"
    CERT_PURPOSE = "document_cert_purpose"
    CERT_UNTRUSTED = "document_cert_untrusted"
    TSA_UNREACHABLE = "document_tsa_unreachable"
    BAD_PDF = "document_bad_pdf"
    NOT_SIGNED = "document_not_signed"
