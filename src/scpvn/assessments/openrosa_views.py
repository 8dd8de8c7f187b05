"""OpenRosa endpoints for ODK Collect and Enketo: formList, form and manifest download, the
attached lists, and submission.

A device signs in with an API token (in the `Authorization: Token …` header, or in the
server URL as `/openrosa/key/<token>/`, the way ODK Central gives app users a URL), or with
the officer's account over HTTP Digest (ODK Collect's default; `scpvn.orgs.digest`) or HTTP
Basic, both throttled as the login page is. Whatever the scheme, `_device_user` is the one
place that names the officer; what the officer sees is the views' scope rules. The browser form
(`assessments:form_fill`) uses the officer's session, and its submissions carry the CSRF token. Every answer carries
`X-OpenRosa-Version: 1.0`; refusals are OpenRosa XML messages with a 4xx status.
"""

import base64
import binascii
import hashlib
from xml.sax.saxutils import escape

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import AuthenticationFailed

from scpvn.assessments.errors import AssessmentErrorCode
from scpvn.assessments.openrosa import (
    SubmissionRefused,
    max_submission_bytes,
    media_files,
    receive_submission,
    subjects_csv,
)
from scpvn.assessments.publishing import current_forms, forms_visible_to
from scpvn.assessments.scopes import FIELD_ROLES
from scpvn.core.errors import Denied
from scpvn.core.tokens import ExpiringTokenAuthentication
from scpvn.orgs import digest
from scpvn.orgs.access import user_has_role

OPENROSA_VERSION = "1.0"
XML = "text/xml; charset=utf-8"


def _headers(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = OPENROSA_VERSION
    response["X-OpenRosa-Accept-Content-Length"] = str(max_submission_bytes())
    return response


def openrosa_message(text: str, status: int, nature: str = "") -> HttpResponse:
    nature_attr = f' nature="{escape(nature)}"' if nature else ""
    body = (
        '<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
        f"<message{nature_attr}>{escape(text)}</message></OpenRosaResponse>"
    )
    return _headers(HttpResponse(body, status=status, content_type=XML))


def _challenge(request: HttpRequest, text: str, stale: bool = False) -> HttpResponse:
    response = openrosa_message(text, 401)
    # The browser form's queue asks with fetch(): a challenge would open the browser's
    # password box over the page instead of letting the queue show the reason.
    if request.headers.get("X-Requested-With") != "fetch":
        # Digest first: Collect takes the first scheme it speaks.
        schemes = [digest.challenge(stale)] if digest.enabled() else []
        schemes.append(f'Basic realm="{digest.realm()}", charset="UTF-8"')
        response["WWW-Authenticate"] = ", ".join(schemes)
    return response


def _device_user(request: HttpRequest, key: str | None):
    """The officer a device acts for, or None. A session counts for reading (a page opened in
    the browser), and for writing only with the CSRF token (the browser form's queue), so no
    cookie can be used by another site to submit."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, credentials = header.partition(" ")
    try:
        if key:
            return ExpiringTokenAuthentication().authenticate_credentials(key)[0]
        if scheme.lower() == "token" and credentials:
            return ExpiringTokenAuthentication().authenticate_credentials(credentials.strip())[0]
    except AuthenticationFailed:
        return None
    if scheme.lower() == "basic" and credentials:
        try:
            username, _colon, password = (
                base64.b64decode(credentials.strip()).decode("utf-8").partition(":")
            )
        except (binascii.Error, UnicodeDecodeError):
            return None
        return authenticate(request, username=username, password=password)
    if scheme.lower() == "digest" and credentials:
        return digest.authenticate(request, credentials)  # or DigestRefused
    if request.user.is_authenticated and (
        request.method in ("GET", "HEAD") or _csrf_passes(request)
    ):
        return request.user
    return None


def _csrf_passes(request: HttpRequest) -> bool:
    """Django's own CSRF check, run by hand: the OpenRosa views are exempt from the middleware
    because devices post without a token (as DRF's SessionAuthentication does)."""
    check = CsrfViewMiddleware(lambda _request: None)
    check.process_request(request)
    return check.process_view(request, None, (), {}) is None


def openrosa_view(view):
    """Authenticate the device, check the officer's role, and answer refusals as OpenRosa."""

    @csrf_exempt
    def wrapped(request: HttpRequest, *args, key: str | None = None, **kwargs) -> HttpResponse:
        try:
            user = _device_user(request, key)
        except digest.DigestRefused as refused:
            return _challenge(request, refused.message, stale=refused.stale)
        if user is None or not user.is_active:
            return _challenge(request, _("Cần đăng nhập bằng tài khoản cán bộ hoặc token."))
        if not user_has_role(user, FIELD_ROLES):
            return openrosa_message(_("Tài khoản này không thu thập dữ liệu hiện trường."), 403)
        request.user = user
        try:
            return _headers(view(request, *args, key=key, **kwargs))
        except SubmissionRefused as exc:
            return openrosa_message(" ".join(exc.messages), exc.status, exc.code)
        except Denied as exc:
            return openrosa_message(exc.message or _("Không có quyền."), 403, exc.code)
        except ValidationError as exc:
            return openrosa_message(
                "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items())
                if hasattr(exc, "error_dict")
                else " ".join(exc.messages),
                400,
                AssessmentErrorCode.INVALID_ANSWERS,
            )
        except (Http404, PermissionDenied):
            return openrosa_message(_("Không tìm thấy."), 404)

    return wrapped


def _url(request: HttpRequest, name: str, key: str | None, **kwargs) -> str:
    if key:
        return request.build_absolute_uri(
            reverse(f"openrosa:key-{name}", kwargs={"key": key, **kwargs})
        )
    return request.build_absolute_uri(reverse(f"openrosa:{name}", kwargs=kwargs))


@require_http_methods(["GET", "HEAD"])
@openrosa_view
def form_list(request: HttpRequest, key: str | None = None) -> HttpResponse:
    """The OpenRosa XForms list: the current version of each form in the officer's scope."""
    items = []
    for form in current_forms(request.user).order_by("form_id"):
        items.append(
            "<xform>"
            f"<formID>{escape(form.form_id)}</formID>"
            f"<name>{escape(form.title)}</name>"
            f"<version>{escape(form.version)}</version>"
            f"<hash>md5:{form.md5}</hash>"
            f"<downloadUrl>{escape(_url(request, 'form', key, pk=form.pk))}</downloadUrl>"
            f"<manifestUrl>{escape(_url(request, 'manifest', key, pk=form.pk))}</manifestUrl>"
            "</xform>"
        )
    body = '<xforms xmlns="http://openrosa.org/xforms/xformsList">' + "".join(items) + "</xforms>"
    return HttpResponse(body, content_type=XML)


@require_http_methods(["GET", "HEAD"])
@openrosa_view
def form_xml(request: HttpRequest, pk: int, key: str | None = None) -> HttpResponse:
    form = get_object_or_404(forms_visible_to(request.user), pk=pk)
    return HttpResponse(form.xml, content_type=XML)


@require_http_methods(["GET", "HEAD"])
@openrosa_view
def manifest(request: HttpRequest, pk: int, key: str | None = None) -> HttpResponse:
    """The form's media: the list of the places (or enterprises) the officer reaches."""
    form = get_object_or_404(forms_visible_to(request.user), pk=pk)
    items = []
    for filename in media_files(form):
        digest = hashlib.md5(
            subjects_csv(request.user, form, filename).encode(), usedforsecurity=False
        ).hexdigest()
        url = _url(request, "media", key, pk=form.pk, filename=filename)
        items.append(
            "<mediaFile>"
            f"<filename>{escape(filename)}</filename><hash>md5:{digest}</hash>"
            f"<downloadUrl>{escape(url)}</downloadUrl>"
            "</mediaFile>"
        )
    body = (
        '<manifest xmlns="http://openrosa.org/xforms/xformsManifest">'
        + "".join(items)
        + "</manifest>"
    )
    return HttpResponse(body, content_type=XML)


@require_http_methods(["GET", "HEAD"])
@openrosa_view
def media(request: HttpRequest, pk: int, filename: str, key: str | None = None) -> HttpResponse:
    form = get_object_or_404(forms_visible_to(request.user), pk=pk)
    if filename not in media_files(form):
        raise Http404
    response = HttpResponse(
        subjects_csv(request.user, form, filename), content_type="text/csv; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["HEAD", "POST"])
@openrosa_view
def submission(request: HttpRequest, key: str | None = None) -> HttpResponse:
    """HEAD: the size the server takes. POST: multipart with `xml_submission_file` and the
    photos it names; 201 when stored, 202 when that instanceID was already received."""
    if request.method == "HEAD":
        return HttpResponse(status=204)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > max_submission_bytes():
        raise SubmissionRefused(
            _("Bản gửi quá lớn (%(size)s byte; tối đa %(limit)s).")
            % {"size": length, "limit": max_submission_bytes()},
            AssessmentErrorCode.SUBMISSION_TOO_LARGE,
            status=413,
        )
    instance = request.FILES.get("xml_submission_file")
    if instance is None:
        raise SubmissionRefused(
            _("Thiếu tệp xml_submission_file."), AssessmentErrorCode.SUBMISSION_MALFORMED
        )
    files = {
        upload.name: upload
        for field, uploads in request.FILES.lists()
        if field != "xml_submission_file"
        for upload in uploads
    }
    _stored, created = receive_submission(request.user, instance.read(), files)
    if created:
        return openrosa_message(_("Đã nhận bản gửi."), 201, "submit_success")
    return openrosa_message(_("Bản gửi này đã được nhận trước đó."), 202, "submit_success")
