"""Stable codes of the assessments app's refusals (problem+json `code`)."""

from enum import StrEnum


class AssessmentErrorCode(StrEnum):
    SUBJECT_OUT_OF_SCOPE = "assessments.subject_out_of_scope"
    INVALID_ANSWERS = "assessments.invalid_answers"
    ASSIGN_DENIED = "assessments.assign_denied"
    FORM_INVALID = "assessments.form_invalid"
    FORM_PUBLISH_DENIED = "assessments.form_publish_denied"
    FORM_VERSION_FROZEN = "assessments.form_version_frozen"
    FORM_OWNED_ELSEWHERE = "assessments.form_owned_elsewhere"
    FORM_UNKNOWN = "assessments.form_unknown"
    FORM_CLOSED = "assessments.form_closed"
    SUBMISSION_MALFORMED = "assessments.submission_malformed"
    SUBMISSION_TOO_LARGE = "assessments.submission_too_large"
    SUBMISSION_PHOTO = "assessments.submission_photo"
    SUBJECT_UNKNOWN = "assessments.subject_unknown"
    ASSIGNMENT_OUT_OF_SCOPE = "assessments.assignment_out_of_scope"
    # An inspection (a questionnaire about a place) recorded without the place visited.
    PLACE_REQUIRED = "assessments.place_required"
    # An assignment names a deliverable of a task the officer does not record for.
    DELIVERABLE_OUT_OF_SCOPE = "assessments.deliverable_out_of_scope"
    # Accepting or returning a visit received over OpenRosa: reviewers of the form's agency.
    VISIT_REVIEW_DENIED = "assessments.visit_review_denied"
    # A visit to a place still pending in the registry counts once the place is confirmed.
    VISIT_PLACE_PENDING = "assessments.visit_place_pending"
