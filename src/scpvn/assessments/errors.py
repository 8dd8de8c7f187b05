"""Stable codes of the assessments app's refusals (problem+json `code`)."""

from enum import StrEnum


class AssessmentErrorCode(StrEnum):
    SUBJECT_OUT_OF_SCOPE = "assessments.subject_out_of_scope"
    INVALID_ANSWERS = "assessments.invalid_answers"
    ASSIGN_DENIED = "assessments.assign_denied"
    ASSIGNMENT_OUT_OF_SCOPE = "assessments.assignment_out_of_scope"
