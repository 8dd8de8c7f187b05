"""Stable codes of the reports app's refusals: its workflow and figures, and the issuing,
signing and verifying of documents (the `code` of a ValidationError, and of the problem+json
an API answers)."""

from enum import StrEnum


class ReportErrorCode(StrEnum):
    SECTION_DENIED = "reports.section_denied"
    COMPILE_DENIED = "reports.compile_denied"
    REVIEW_DENIED = "reports.review_denied"
    STALE_VERSION = "reports.stale_version"
    NO_DUTY_FOR_PERIOD = "reports.no_duty_for_period"
    # Only the officers of the agency leading the task (and city administrators) build its
    # inspection report.
    INSPECTION_DENIED = "reports.inspection_denied"


class DocumentError(StrEnum):
    # The actor may not issue (or cancel the issue of) this document: out of role or scope.
    ISSUE_DENIED = "reports.document_issue_denied"
    ALREADY_ISSUED = "reports.document_already_issued"
    NOT_APPROVED = "reports.document_not_approved"
    NO_AGENCY_KEY = "reports.document_no_agency_key"
    NUMBER_USED = "reports.document_number_used"
    ALREADY_CANCELLED = "reports.document_already_cancelled"
    REASON_REQUIRED = "reports.document_reason_required"
    WRONG_PIN = "reports.document_wrong_pin"
    KEY_UNAVAILABLE = "reports.document_key_unavailable"
    CERT_EXPIRED = "reports.document_cert_expired"
    CERT_REVOKED = "reports.document_cert_revoked"
    CERT_PURPOSE = "reports.document_cert_purpose"
    CERT_UNTRUSTED = "reports.document_cert_untrusted"
    TSA_UNREACHABLE = "reports.document_tsa_unreachable"
    BAD_PDF = "reports.document_bad_pdf"
    NOT_SIGNED = "reports.document_not_signed"
