"""Refusals that carry a stable code, so API clients read `code` instead of parsing prose.

Each app lists its codes in `<app>/errors.py` (an enum, as Saleor's `error_codes.py`);
services raise `ValidationError(message, code=AppErrorCode.X)` for a rule broken and
`Denied(message, code=…)` for an actor out of role or scope. `api_exception_handler` puts
the code in the problem+json body.
"""

from django.core.exceptions import PermissionDenied, ValidationError

FORBIDDEN = "forbidden"
INVALID = "invalid"


class Denied(PermissionDenied):
    """PermissionDenied with a message worth showing and a stable code (a 403)."""

    def __init__(self, message: str = "", code: str = FORBIDDEN):
        super().__init__(message)
        self.message = message
        self.code = str(code)


def error_code(exc: BaseException) -> str:
    """The stable code of a refusal: the first code a ValidationError carries (field
    errors included), a Denied's code, else the generic one for its kind."""
    if isinstance(exc, ValidationError):
        errors = (
            [e for field in exc.error_dict.values() for e in field]
            if hasattr(exc, "error_dict")
            else exc.error_list
        )
        for error in errors:
            if error.code:
                return str(error.code)
        return INVALID
    return str(getattr(exc, "code", "") or FORBIDDEN)
