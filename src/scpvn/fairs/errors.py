"""Stable codes of the fairs app's refusals (problem+json `code`)."""

from enum import StrEnum


class FairsErrorCode(StrEnum):
    CHANGE_DENIED = "fairs.change_denied"
    APPLY_DENIED = "fairs.apply_denied"
    NOT_OPEN = "fairs.not_open"
    ALREADY_APPLIED = "fairs.already_applied"
    NO_PRODUCTS = "fairs.no_products"
    BOOTH_TAKEN = "fairs.booth_taken"
    FULL = "fairs.full"
    NOT_ALLOCATED = "fairs.not_allocated"
    NOT_CHECKED_IN = "fairs.not_checked_in"
    NEGATIVE = "fairs.negative"
    CANCELLED = "fairs.cancelled"
