"""Stable codes of the assessments app's refusals (problem+json `code`)."""

from enum import StrEnum


class AssessmentErrorCode(StrEnum):
    SUBJECT_OUT_OF_SCOPE = "assessments.subject_out_of_scope"
    INVALID_ANSWERS = "assessments.invalid_answers"
    ASSIGN_DENIED = "assessments.assign_denied"
    ASSIGNMENT_OUT_OF_SCOPE = "assessments.assignment_out_of_scope"
    # An inspection (a questionnaire about a place) recorded without the place visited.
    PLACE_REQUIRED = "assessments.place_required"
    # An assignment names a deliverable of a task the officer does not record for.
    DELIVERABLE_OUT_OF_SCOPE = "assessments.deliverable_out_of_scope"
