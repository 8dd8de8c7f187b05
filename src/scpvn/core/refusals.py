"""How a service's refusal reaches the person who asked: one piece of page glue for every app.

Services refuse with Django's `ValidationError` (a rule: wrong state, bad value; with a
`code`) or `PermissionDenied` (not allowed to you). A page shows the refusal as a message or
on the form, nothing written; an API answers problem+json
(`core.problems.api_exception_handler`) with the same text and the refusal's code
(`core.errors.error_code`), so clients need not parse the Vietnamese prose.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

REFUSALS: tuple[type[Exception], ...] = (ValidationError, PermissionDenied)


def refusal_text(exc: Exception) -> str:
    """The refusal in words: every message of a ValidationError, the reason given with a
    PermissionDenied, or a plain "not allowed"."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Bạn không có quyền.")


def add_to_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: field errors on their field when the form
    has it, everything else at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def attempt(
    request: HttpRequest,
    action: Callable[[], object],
    success: str | Callable[[], str],
    catch: tuple[type[Exception], ...] = REFUSALS,
) -> bool:
    """Run a service call and tell the user how it went: the success message, or the
    refusal as an error message instead of an error page. `catch` narrows what becomes a
    message (a page that answers 403 to PermissionDenied catches ValidationError only)."""
    try:
        action()
    except catch as exc:
        messages.error(request, refusal_text(exc))
        return False
    # a callable success is read after the action, which may have written it (a count drawn)
    messages.success(request, str(success() if callable(success) else success))
    return True


def run_action(
    request: HttpRequest, actions: dict[str, tuple[Callable[[], object], str]], action: str
) -> None:
    """Run the step named in the URL (submit / approve / return…) among `actions` (name →
    (call, success message)); an unknown name is a 404, a refusal a message."""
    if action not in actions:
        raise Http404
    run, done = actions[action]
    attempt(request, run, done)
