"""Pages: the public Digital Link resolver and QR codes, and the enterprise workspace
(master data, simple event form, CSV upload, label sheets)."""

import hashlib

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import CreateView, FormView, TemplateView, View

from scpvn.core.problems import problem, wants_json
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.orgs.roles import ALL_ROLES
from scpvn.trace import forms
from scpvn.trace.capture import (
    locations_visible_to,
    lots_visible_to,
    products_visible_to,
    query_scope,
    save_master_data,
)
from scpvn.trace.identifiers import InvalidIdentifier, gtin_uri, normalize_gtin
from scpvn.trace.journey import code_is_known, journey, page_version, product_for_page
from scpvn.trace.journeymap import journey_map
from scpvn.trace.labels import lot_label_sheet, qr_png, qr_svg, resolver_url
from scpvn.trace.models import Product
from scpvn.trace.pagecache import page_key, remember_version, remembered_version
from scpvn.trace.repository import scoped_events
from scpvn.trace.scopes import CAPTURE_ROLES
from scpvn.trace.simple_events import record_simple_events
from scpvn.trace.validation import EventError

LINKSET = "application/linkset+json"


def _error_page(request, status: int, detail: str):
    if wants_json(request) or LINKSET in request.headers.get("Accept", ""):
        return problem(status, detail)
    return render(request, "core/error.html", {"status": status, "detail": detail}, status=status)


def _linkset(request, product: Product, path: str) -> JsonResponse:
    """The GS1 linkset (RFC 9264) of this code: the consumer page, certifications, events."""
    anchor = resolver_url(path)
    page = {"href": anchor, "title": product.name, "type": "text/html", "hreflang": ["vi"]}
    epcis = request.build_absolute_uri(
        reverse("trace:events") + f"?MATCH_anyEPCClass={gtin_uri(product.gtin)}"
    )
    body = {
        "linkset": [
            {
                "anchor": anchor,
                "https://gs1.org/voc/defaultLink": [page],
                "https://gs1.org/voc/pip": [page],
                "https://gs1.org/voc/epcis": [
                    {"href": epcis, "title": "EPCIS events", "type": "application/ld+json"}
                ],
                "https://gs1.org/voc/certificationInfo": [
                    {"href": anchor + "#chung-nhan", "title": f"{c.get_kind_display()} {c.number}"}
                    for c in product.certifications.all()
                ],
            }
        ]
    }
    return JsonResponse(body, content_type=LINKSET, json_dumps_params={"ensure_ascii": False})


def resolve(request, gtin: str, lot: str = "", serial: str = ""):
    """GET /01/{gtin}[/10/{lot}|/21/{serial}]: the consumer page (or the linkset); POST: a
    consumer's problem report. A phone revalidating a page it has (If-None-Match) gets a 304
    without a database query while the remembered version holds (see `pagecache`)."""
    try:
        gtin14 = normalize_gtin(gtin)
    except InvalidIdentifier as exc:
        return _error_page(request, 400, _("Mã sản phẩm không hợp lệ: %(error)s") % {"error": exc})
    key = page_key(gtin14, lot, serial)
    version = remembered_version(key)
    product = None
    if version is None:
        product = product_for_page(gtin14)
        if product is None:
            return _error_page(
                request, 404, _("Không tìm thấy sản phẩm có mã GTIN %(gtin)s.") % {"gtin": gtin14}
            )
        if not code_is_known(product, lot, serial):
            return _error_page(request, 404, _("Không tìm thấy lô hoặc sản phẩm này."))
        version = page_version(product)
        remember_version(key, version)
    get_token(request)  # the page embeds a CSRF token: same secret, same page
    etag = '"' + hashlib.sha256(
        "|".join(
            [version, get_language() or "", request.get_full_path(), str(request.user.pk),
             request.META.get("CSRF_COOKIE", ""), request.method]
        ).encode()
    ).hexdigest()[:32] + '"'  # fmt: skip
    if request.method == "GET" and etag in request.headers.get("If-None-Match", ""):
        return _cacheable(HttpResponseNotModified(), etag)
    product = product or product_for_page(gtin14)
    if product is None:
        return _error_page(
            request, 404, _("Không tìm thấy sản phẩm có mã GTIN %(gtin)s.") % {"gtin": gtin14}
        )
    form = forms.ProblemReportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        report = form.save(commit=False)
        report.product, report.lot_code, report.serial = product, lot, serial
        report.save()
        return redirect(f"{request.path}?reported=1")
    if LINKSET in request.headers.get("Accept", ""):
        return _linkset(request, product, request.path.lstrip("/"))
    story = journey(product, lot, serial)
    response = render(
        request,
        "trace/consumer.html",
        {
            "journey": story,
            "map": journey_map(story.places),
            "form": form,
            "reported": request.GET.get("reported") == "1",
        },
        status=400 if form.is_bound else 200,
    )
    return _cacheable(response, etag)


def _cacheable(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(response, private=True, max_age=60)
    patch_vary_headers(response, ["Accept", "Cookie", "Accept-Language"])
    return response


def qr_code(request, fmt: str, code: str):
    """QR of a Digital Link path (01/{gtin}[/10/{lot}|/21/{serial}]) as SVG or PNG."""
    gtin = code.split("/")[1]
    try:
        normalize_gtin(gtin)
    except InvalidIdentifier as exc:
        return _error_page(request, 400, str(exc))
    data = resolver_url(code)
    if fmt == "svg":
        response = HttpResponse(qr_svg(data), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr_png(data), content_type="image/png")
    patch_cache_control(response, public=True, max_age=86400)
    return response


class IndexView(RoleRequiredMixin, TemplateView):
    """The traceability workspace: the user's products, places, lots and recent events."""

    allowed_roles = ALL_ROLES
    template_name = "trace/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            products=products_visible_to(user).prefetch_related("certifications")[:200],
            locations=locations_visible_to(user)[:200],
            lots=lots_visible_to(user)[:200],
            events=scoped_events(query_scope(user)).order_by("-record_time")[:20],
            can_record=user.has_role(*CAPTURE_ROLES),
            csv_columns=forms.CSV_COLUMNS,
            **kwargs,
        )


class ScopedCreateView(RoleRequiredMixin, CreateView):
    allowed_roles = CAPTURE_ROLES
    template_name = "trace/form.html"
    success_url = reverse_lazy("trace:index")
    title = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)

    def form_valid(self, form):
        self.object = form.save(commit=False)
        save_master_data(self.request.user, self.object)
        form.save_m2m()
        messages.success(self.request, _("Đã lưu."))
        return redirect(self.get_success_url())


class ProductCreateView(ScopedCreateView):
    form_class = forms.ProductForm
    title = _("Đăng ký sản phẩm (GTIN)")


class LocationCreateView(ScopedCreateView):
    form_class = forms.LocationForm
    title = _("Đăng ký địa điểm (GLN)")


class LotCreateView(ScopedCreateView):
    form_class = forms.LotForm
    title = _("Tạo lô hàng")


class CertificationCreateView(ScopedCreateView):
    form_class = forms.CertificationForm
    title = _("Thêm chứng nhận")


class RecordEventView(RoleRequiredMixin, FormView):
    """One step of the journey, in plain words; stored as a standard EPCIS event."""

    allowed_roles = CAPTURE_ROLES
    template_name = "trace/form.html"
    form_class = forms.SimpleEventForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Ghi nhận công đoạn"), **kwargs)

    def form_valid(self, form):
        try:
            record_simple_events([form.simple_event()], self.request.user)
        except EventError as error:
            form.add_error(None, error.detail)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã ghi nhận công đoạn."))
        return redirect("trace:index")


class UploadCSVView(RoleRequiredMixin, FormView):
    """Many steps at once from a spreadsheet: all rows are stored, or none."""

    allowed_roles = CAPTURE_ROLES
    template_name = "trace/form.html"
    form_class = forms.CSVUploadForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Tải lên tệp CSV"), csv_columns=forms.CSV_COLUMNS, multipart=True, **kwargs
        )

    def form_valid(self, form):
        try:
            with transaction.atomic():
                items = forms.read_csv(form.cleaned_data["file"].read(), self.request.user)
                capture = record_simple_events(items, self.request.user)
        except (forms.CSVRowError, EventError) as error:
            form.add_error("file", getattr(error, "detail", str(error)))
            return self.form_invalid(form)
        messages.success(
            self.request, _("Đã ghi nhận %(n)s công đoạn.") % {"n": capture.event_count}
        )
        return redirect("trace:index")


class LotLabelsView(RoleRequiredMixin, View):
    """A printable A4 sheet of QR labels for one lot."""

    allowed_roles = ALL_ROLES

    def get(self, request, pk: int):
        lot = get_object_or_404(
            lots_visible_to(request.user).select_related("product__enterprise"), pk=pk
        )
        response = HttpResponse(lot_label_sheet(lot), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="nhan-{lot.product.gtin}-{lot.code}.pdf"'
        )
        return response
