"""Stable codes of the progress app's refusals (problem+json `code`)."""

from enum import StrEnum


class ProgressErrorCode(StrEnum):
    TASK_OUT_OF_SCOPE = "progress.task_out_of_scope"
    EDIT_DENIED = "progress.edit_denied"
    SUBMIT_DENIED = "progress.submit_denied"
    REVIEW_DENIED = "progress.review_denied"
    ALREADY_APPROVED = "progress.already_approved"
    STALE_VERSION = "progress.stale_version"
    INVALID_QUANTITY = "progress.invalid_quantity"
    DATE_OUTSIDE_PLAN = "progress.date_outside_plan"
    DELIVERABLE_OF_OTHER_TASK = "progress.deliverable_of_other_task"
    EVIDENCE_TOO_LARGE = "progress.evidence_too_large"
    EVIDENCE_TYPE = "progress.evidence_type"
