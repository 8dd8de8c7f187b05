"""Page glue: a service's refusal becomes a message, a form error or problem+json, never a 500."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from scpvn.core import refusals
from scpvn.core.errors import Denied, error_code


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def refuse(exc):
    def run():
        raise exc

    return run


def test_attempt_turns_both_refusals_into_messages(request_):
    assert refusals.attempt(request_, lambda: None, "Xong") is True
    assert refusals.attempt(request_, refuse(ValidationError("Sai trạng thái")), "Xong") is False
    assert refusals.attempt(request_, refuse(PermissionDenied()), "Xong") is False
    assert [str(m) for m in get_messages(request_)] == [
        "Xong",
        "Sai trạng thái",
        "Bạn không có quyền.",
    ]


def test_attempt_may_leave_permission_denied_to_the_403_page(request_):
    with pytest.raises(PermissionDenied):
        refusals.attempt(request_, refuse(PermissionDenied()), "Xong", catch=(ValidationError,))


def test_run_action_refuses_an_unknown_step(request_):
    with pytest.raises(Http404):
        refusals.run_action(request_, {"submit": (lambda: None, "ok")}, "delete")


class Form(forms.Form):
    comment = forms.CharField(required=False)


def test_field_errors_land_on_their_field_and_others_on_top():
    form = Form({"comment": ""})
    assert form.is_valid()
    refusals.add_to_form(form, ValidationError({"comment": "Hãy ghi lý do", "version": "Cũ"}))
    assert form.errors["comment"] == ["Hãy ghi lý do"] and form.non_field_errors() == ["Cũ"]
    other = Form({"comment": "x"})
    other.is_valid()
    refusals.add_to_form(other, ValidationError("Không được"))
    assert other.non_field_errors() == ["Không được"]


def test_refusal_codes():
    assert error_code(ValidationError("x", code="wrong_state")) == "wrong_state"
    assert error_code(PermissionDenied()) == "forbidden"
    assert error_code(Denied("no", code="progress.submit_denied")) == "progress.submit_denied"
    assert error_code(ValidationError("x")) == "invalid"
