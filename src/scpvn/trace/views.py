"""Pages: the public Digital Link resolver and QR codes, and the enterprise workspace
(master data, simple event form, CSV upload, label sheets)."""

import functools
import hashlib
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import (
    HttpResponse,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    JsonResponse,
    QueryDict,
)
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import Resolver404, reverse_lazy
from django.urls import resolve as resolve_url
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
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
from scpvn.trace.digitallink import (
    GS1_VOC,
    LINKSET_LINK_TYPES,
    ResolverPath,
    link_type_name,
    parse_resolver_path,
)
from scpvn.trace.dlcompression import CompressionError, compress, decompress
from scpvn.trace.identifiers import InvalidIdentifier, normalize_gtin
from scpvn.trace.journey import (
    Journey,
    journey,
    known_levels,
    page_version,
    product_for_page,
    product_lots,
    valid_certifications,
)
from scpvn.trace.journeymap import journey_map
from scpvn.trace.labels import lot_label_sheet, qr_png, qr_svg, resolver_url
from scpvn.trace.linkset import LINKSET, find_link, linkset
from scpvn.trace.pagecache import (
    body_key,
    remember_body,
    remember_version,
    remembered_body,
    remembered_version,
)
from scpvn.trace.repository import scoped_events
from scpvn.trace.scopes import CAPTURE_ROLES
from scpvn.trace.simple_events import record_simple_events
from scpvn.trace.validation import EventError

LOTS_PER_PAGE = 20
# The resolver standard's "SHALL support CORS" and "GET, HEAD and OPTIONS": any origin may
# read an answer (no credentials are ever allowed), and a preflight is answered without
# touching the database.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Expose-Headers": "Link, ETag, Location",
    "Access-Control-Max-Age": "86400",
}


def _error_page(request, status: int, detail: str, code: str = ""):
    if wants_json(request) or LINKSET in request.headers.get("Accept", ""):
        return problem(status, detail, **({"code": code} if code else {}))
    return render(request, "core/error.html", {"status": status, "detail": detail}, status=status)


def _with_cors(view):
    """Every answer of the view, errors and redirects included, carries the CORS headers."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = "GET, HEAD, OPTIONS, POST"
        else:
            response = view(request, *args, **kwargs)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        return response

    return wrapped


def _requested_link_type(request) -> str | None:
    """None when no linkType was asked for; "" when one was but names no GS1 link type."""
    if "linkType" not in request.GET:
        return None
    return link_type_name(request.GET["linkType"])


def _wants_linkset(request, link_type: str | None) -> bool:
    if link_type is not None:
        return link_type in LINKSET_LINK_TYPES
    accept = request.headers.get("Accept", "")
    return LINKSET in accept or ("application/json" in accept and "text/html" not in accept)


def _linkset_header(asked: ResolverPath) -> str:
    """The SHOULD of the standard: every answer points at the linkset of the asked URI."""
    return f'<{resolver_url(asked.path)}?linkType=linkset>; rel="linkset"; type="{LINKSET}"'


def _redirect(target: str, request) -> HttpResponse:
    """307 to a link's target, passing on the request's query string (the standard's default),
    before the target's own fragment."""
    target, _hash, fragment = target.partition("#")
    query = request.META.get("QUERY_STRING", "")
    if query:
        target += ("&" if "?" in target else "?") + query
    response = HttpResponse(status=307)
    response["Location"] = target + (f"#{fragment}" if fragment else "")
    return response


@_with_cors
def resolve(request, **_path_parts):
    """GS1 Digital Link resolver at /01/{gtin}[/22/…][/10/{lot}][/21/{serial}]: GET the page of
    a product (its lots) or of a lot or item (its journey); the linkset (`Accept:
    application/linkset+json` or `?linkType=linkset`); or, with `?linkType=gs1:…`, a 307 to
    that link. A lot or serial nobody recorded walks up to the product (307) instead of 404;
    bad syntax is a 400. POST: a consumer's problem report. The path is parsed whole from the
    request (the URL patterns only name it), so an unexpected segment is a 400, not a 404.

    A phone revalidating a page it has (If-None-Match) gets a 304 without a database query
    while the remembered version holds (see `pagecache`); each representation (page,
    linkset) has its own ETag."""
    try:
        asked = parse_resolver_path(request.path_info)
    except InvalidIdentifier as exc:
        detail = _("Mã sản phẩm không hợp lệ: %(error)s") % {"error": exc}
        return _error_page(request, 400, detail, code="dl.syntax")
    link_type = _requested_link_type(request)
    representation = "linkset" if _wants_linkset(request, link_type) else "html"
    cacheable = request.method in ("GET", "HEAD") and link_type in (None, *LINKSET_LINK_TYPES)
    # Pages of a variant (22) or third-party serial (235) are never known: nothing to remember.
    remembered = all(ai in ("10", "21") for ai, _value in asked.qualifiers)
    slot, version = None, None
    if remembered and cacheable:
        slot, version = remembered_version(asked.gtin, asked.lot, asked.serial)
    product, levels = None, []
    if version is None:
        product = product_for_page(asked.gtin)
        if product is None:
            not_found = _("Không tìm thấy sản phẩm có mã GTIN %(gtin)s.") % {"gtin": asked.gtin}
            return _error_page(request, 404, not_found)
        levels = known_levels(product, asked)
        if levels[0] == asked and slot is not None:
            version = page_version(product)
            remember_version(slot, version)
    response = _answer(request, asked, product, levels, link_type, representation, version)
    response["Link"] = _linkset_header(asked)
    # Page and linkset share a URL: caches must keep them apart (each has its own ETag).
    patch_vary_headers(response, ["Accept", "Cookie", "Accept-Language"])
    return response


def _slash_route(path: str) -> bool:
    """Whether `path/` is another page (`/admin` → `/admin/`): the one-segment pattern of
    compressed URIs must not take Django's trailing-slash redirect away from them."""
    if path.endswith("/"):
        return False
    try:
        return resolve_url(path + "/").url_name != "resolve-compressed"
    except Resolver404:
        return False


@_with_cors
def resolve_compressed(request, compressed: str):
    """A compressed GS1 Digital Link (`/{base64url}`, GS1 DL: Compression) is answered
    exactly as its uncompressed form (walk-up, linkset, link types, 400 on bad syntax, the
    GS1 attributes and other pairs it carries joining the query string), with the
    uncompressed URI in a `Link: …; rel="owl:sameAs"` as the resolver standard requires.
    A segment that is no compressed Digital Link is a 400 with a stable `code`."""
    try:
        link = decompress("https://resolver" + request.get_full_path())
    except CompressionError as exc:
        if _slash_route(request.path_info):
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
        detail = _("URI Digital Link nén không hợp lệ: %(error)s") % {"error": exc}
        return _error_page(request, 400, detail, code=exc.code)
    if link.primary_key()[0] != "01":  # as /414/…: only GTINs are resolved here
        return _error_page(request, 404, _("Trình phân giải này chỉ phân giải mã GTIN (01)."))
    path, _mark, query = link.uri().removeprefix("https://resolver").partition("?")
    request.path_info = request.path = unquote(path)  # as Django gives an uncompressed one
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)
    response = resolve(request)
    same_as = f'<{resolver_url(path.lstrip("/"))}{"?" + query if query else ""}>; rel="owl:sameAs"'
    response["Link"] = ", ".join(filter(None, [response.get("Link", ""), same_as]))
    return response


@_with_cors
def resolver_description(request):
    """/.well-known/gs1resolver: the resolver description file the standard requires, so
    that a partner's software can tell this resolver apart from other services."""
    body = {
        "name": _("Hệ thống truy xuất nguồn gốc sản phẩm (scpvn)"),
        "resolverRoot": settings.SCPVN_PUBLIC_URL.rstrip("/"),
        "supportedLinkType": [{"namespace": GS1_VOC, "prefix": "gs1:"}],
        "supportedPrimaryKeys": ["01"],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=3600)
    return response


def _cacheable(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(response, private=True, max_age=60)
    return response


def _etag(request, version: str, representation: str) -> str:
    parts = [
        version,
        representation,
        get_language() or "",
        request.get_full_path(),
        str(request.user.pk),
        "GET" if request.method == "HEAD" else request.method,
    ]
    if representation == "html":  # the page embeds a CSRF token: same secret, same page
        parts.append(request.META.get("CSRF_COOKIE", ""))
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'  # fmt: skip


def _answer(request, asked, product, levels, link_type, representation, version):
    if representation == "html" and version is not None:
        get_token(request)  # before the ETag: it is part of it
    etag = _etag(request, version, representation) if version is not None else ""
    if (
        etag
        and request.method in ("GET", "HEAD")
        and etag in request.headers.get("If-None-Match", "")
    ):
        return _cacheable(HttpResponseNotModified(), etag)
    key = ""
    if version is not None and representation == "html" and link_type is None:
        # GET or HEAD of the page itself (a version is known only where no walk-up happens)
        key = body_key(version, get_language() or "", request.get_full_path())
        if request.method in ("GET", "HEAD") and (remembered := remembered_body(key)):
            title, body = remembered
            return _cacheable(_consumer_page(request, title, body, forms.ProblemReportForm()), etag)
    if product is None:
        product = product_for_page(asked.gtin)
        if product is None:  # deleted since its version was remembered
            return _error_page(request, 404, _("Không tìm thấy sản phẩm."))
        levels = known_levels(product, asked)
    if representation == "linkset":
        body = linkset(product, levels)
        response = JsonResponse(
            body, content_type=LINKSET, json_dumps_params={"ensure_ascii": False}
        )
        return _cacheable(response, etag) if etag else response
    page = resolver_url(asked.path)
    if link_type is not None:
        link = find_link(product, levels, link_type) if link_type else None
        if link is None:
            return _error_page(request, 404, _("Không có liên kết loại này cho mã đã quét."))
        if link["href"] != page:
            return _redirect(link["href"], request)
    if levels[0] != asked and request.method != "POST":
        return _redirect(resolver_url(levels[0].path), request)  # walk-up to what we know
    form = forms.ProblemReportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        report = form.save(commit=False)
        report.product, report.lot_code, report.serial = product, asked.lot, asked.serial
        report.save()
        return redirect(f"{request.path}?reported=1")
    context = {"reported": request.GET.get("reported") == "1"}
    if asked.lot or asked.serial:
        story = journey(product, asked.lot, asked.serial)
        context.update(journey=story, map=journey_map(story.places))
    else:
        lots = Paginator(product_lots(product), LOTS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            journey=Journey(product=product, lot=None, serial="",
                            certifications=valid_certifications(product)),
            page_obj=lots,
        )  # fmt: skip
    body = render_to_string("trace/_consumer_body.html", context, request)
    if key and not form.is_bound:
        remember_body(key, product.name, body)
    response = _consumer_page(request, product.name, body, form, 400 if form.is_bound else 200)
    return _cacheable(response, etag) if etag and not form.is_bound else response


def _consumer_page(request, title: str, body: str, form, status: int = 200) -> HttpResponse:
    """The consumer page's frame around its content: rendered for each visitor, as it
    carries their CSRF token (the problem-report form) and the CSP nonce."""
    context = {"title": title, "body": mark_safe(body), "form": form}  # rendered by us, escaped
    return render(request, "trace/consumer.html", context, status=status)


def qr_code(request, fmt: str, code: str):
    """QR of a Digital Link path (01/{gtin}[/10/{lot}|/21/{serial}]) as SVG or PNG;
    `?form=compressed` carries the compressed URI instead (fewer characters, a smaller QR
    for a small label; the resolver answers it the same)."""
    gtin = code.split("/")[1]
    try:
        normalize_gtin(gtin)
        data = resolver_url(code)
        if request.GET.get("form") == "compressed":
            data = compress(data)
    except InvalidIdentifier as exc:
        return _error_page(request, 400, str(exc))
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
