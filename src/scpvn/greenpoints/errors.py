"""Stable codes of the green points app's refusals (problem+json `code`)."""

from enum import StrEnum


class GreenPointsErrorCode(StrEnum):
    CHANGE_DENIED = "greenpoints.change_denied"
    APPLY_DENIED = "greenpoints.apply_denied"
