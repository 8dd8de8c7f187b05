"""Stable codes of the registry app's refusals (problem+json `code`)."""

from enum import StrEnum


class RegistryErrorCode(StrEnum):
    IMPORT_DENIED = "registry.import_denied"
    # A place proposed by a visit needs a name, a kind and somewhere on the map.
    PLACE_INVALID = "registry.place_invalid"
    PLACE_PROPOSE_DENIED = "registry.place_propose_denied"
    PLACE_CONFIRM_DENIED = "registry.place_confirm_denied"
    PLACE_NOT_PENDING = "registry.place_not_pending"
