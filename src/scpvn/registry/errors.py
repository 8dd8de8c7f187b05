"""Stable codes of the registry app's refusals (problem+json `code`)."""

from enum import StrEnum


class RegistryErrorCode(StrEnum):
    IMPORT_DENIED = "registry.import_denied"
