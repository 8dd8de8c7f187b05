"""Stable codes of the surveys app's refusals (problem+json `code`)."""

from enum import StrEnum


class SurveysErrorCode(StrEnum):
    CHANGE_DENIED = "surveys.change_denied"
