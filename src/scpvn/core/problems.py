"""Errors as RFC 9457 problem details (`application/problem+json`), for every API.

DRF's own exceptions go through `api_exception_handler`; the 404/500 handlers answer JSON
for API paths and a page elsewhere, so no client ever sees a traceback.
"""

import sys
from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from rest_framework import exceptions, serializers
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler

from scpvn.core.errors import FORBIDDEN, INVALID, Denied, error_code

API_PREFIXES = ("/api/", "/epcis/")


def problem(status: int, detail: str = "", **extra) -> JsonResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
        **extra,
    }
    return JsonResponse(
        body,
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


class Refused(APIException):
    status_code = 400
    default_code = "refused"


def api_exception_handler(exc, context):
    """DRF's handler, answering problem+json with a stable `code` (see core/errors.py). A
    Django ValidationError raised by a service (business rules live in services.py, shared
    with the pages) is the client's 400: its field errors under `errors`, or its message as
    `detail`; a service's `Denied` is a 403 keeping its message."""
    code = None
    if isinstance(exc, DjangoValidationError):
        code = error_code(exc)
        if hasattr(exc, "error_dict"):
            exc = serializers.ValidationError(exc.message_dict)
        else:
            exc = Refused(" ".join(exc.messages))
    elif isinstance(exc, Denied):
        code = exc.code
        exc = exceptions.PermissionDenied(exc.message or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if code is None:
        codes = exc.get_codes() if isinstance(exc, APIException) else None
        code = codes if isinstance(codes, str) else INVALID
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        detail, errors = str(data["detail"]), None
    else:
        detail, errors = "Dữ liệu không hợp lệ (invalid input)", data
    body = {
        "type": "about:blank",
        "title": HTTPStatus(response.status_code).phrase,
        "status": response.status_code,
        "detail": detail,
        "code": str(code),
    }
    if errors is not None:
        body["errors"] = errors
    response.data = body
    response.content_type = "application/problem+json"
    return response


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES) or "json" in request.headers.get("Accept", "")


def _page_or_problem(request: HttpRequest, status: int, template: str, detail: str, code: str = ""):
    if wants_json(request):
        return problem(status, detail, **({"code": code} if code else {}))
    return render(request, template, {"status": status, "detail": detail}, status=status)


def handler400(request, exception=None):
    return _page_or_problem(request, 400, "core/error.html", "Yêu cầu không hợp lệ.")


def handler403(request, exception=None):
    """A service's `Denied` says why (and its code); a bare PermissionDenied says no more."""
    if isinstance(exception, Denied) and exception.message:
        return _page_or_problem(request, 403, "core/error.html", exception.message, exception.code)
    return _page_or_problem(
        request, 403, "core/error.html", "Bạn không có quyền truy cập trang này.", FORBIDDEN
    )


def handler404(request, exception=None):
    return _page_or_problem(request, 404, "core/error.html", "Không tìm thấy trang.")


DATABASE_DOWN = "Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút."
RETRY_AFTER_SECONDS = 60


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 for a database outage. The page is rendered without the request context: the menu
    and the signed-in user would need the very database that is down."""
    if wants_json(request):
        response = problem(503, DATABASE_DOWN)
    else:
        html = render_to_string("core/unavailable.html", {"detail": DATABASE_DOWN})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handler500(request):
    # Errors raised outside a view (a middleware reading the session) land here.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    return _page_or_problem(request, 500, "core/error.html", "Lỗi hệ thống. Vui lòng thử lại sau.")
