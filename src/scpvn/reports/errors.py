"""Stable codes of the reports app's refusals (problem+json `code`)."""

from enum import StrEnum


class ReportErrorCode(StrEnum):
    SECTION_DENIED = "reports.section_denied"
    COMPILE_DENIED = "reports.compile_denied"
    REVIEW_DENIED = "reports.review_denied"
    STALE_VERSION = "reports.stale_version"
    NO_DUTY_FOR_PERIOD = "reports.no_duty_for_period"
