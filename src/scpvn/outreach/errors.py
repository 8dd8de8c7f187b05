"""Stable codes of the outreach app's refusals (problem+json `code`)."""

from enum import StrEnum


class OutreachErrorCode(StrEnum):
    CHANGE_DENIED = "outreach.change_denied"
