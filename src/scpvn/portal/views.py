"""The public portal: no sign-in, read-only. Each page is public on purpose; the data behind
the pages is cached (services.snapshot) and so is each page's content rendered from it
(`_body`), the open-data downloads are cached whole."""

import csv
import io
import json

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page

from scpvn.core import clock
from scpvn.core.exports import safe_record
from scpvn.plans.models import Plan
from scpvn.plans.services import chosen_plan
from scpvn.portal import services
from scpvn.trace.identifiers import InvalidIdentifier, normalize_gtin


def _body(template: str, plan_slug: str = "") -> str:
    """A page's content rendered from the snapshot, kept in the cache beside it for as long as
    the snapshot has left to live, so a warm page renders only its frame. The content is
    rendered without the request: it holds nothing of the visitor's (no CSRF token, no
    name, no CSP nonce); the frame around it (`base.html`) is rendered for each request and
    carries those. `Plan.DoesNotExist` if `plan_slug` names no plan."""
    today = clock.today()
    key = f"portal:body:{template}:{today.isoformat()}:{plan_slug}:{get_language()}"
    body = cache.get(key)
    if body is None:
        data = services.snapshot(today, plan_slug)
        body = render_to_string(template, data)
        cache.set(key, body, services.seconds_left(data))
    return mark_safe(body)  # our own template's output, escaped as it was rendered


def index(request):
    """The latest plan, or the one chosen with `?plan=<slug>`."""
    try:
        body = _body("portal/_index.html", request.GET.get("plan", ""))
    except services.Plan.DoesNotExist as exc:
        raise Http404("không có kế hoạch này (no such plan)") from exc
    return render(request, "portal/index.html", {"body": body})


def green_points(request):
    return render(request, "portal/green_points.html", {"body": _body("portal/_green_points.html")})


def lookup(request):
    """Traceability look-up by product code: a valid GTIN goes to its GS1 Digital Link page."""
    code = request.GET.get("code", "").strip()
    error = ""
    if code:
        try:
            return redirect(f"/01/{normalize_gtin(''.join(code.split()))}")
        except InvalidIdentifier:
            pass
        error = _("“%(code)s” không phải mã sản phẩm GTIN hợp lệ (8, 12, 13 hoặc 14 chữ số).") % {
            "code": code
        }
    return render(
        request, "portal/lookup.html", {"code": code, "error": error}, status=400 if error else 200
    )


def open_data(request):
    return render(
        request,
        "portal/open_data.html",
        {"datasets": DATASETS, "licence": services.LICENCE},
    )


def _records(name: str, plan_slug: str = "") -> list[dict]:
    today = clock.today()
    plan = chosen_plan(plan_slug)  # `?plan=<slug>`, as on the portal's front page
    if name == "progress":
        return services.progress_records(plan) if plan else []
    if name == "indicators":
        return services.indicator_records(plan) if plan else []
    if name == "green-points":
        return services.green_point_records(today)
    return services.fair_records(today)


DATASETS = {
    "progress": gettext_lazy("Tiến độ sản phẩm đầu ra theo nhiệm vụ"),
    "indicators": gettext_lazy("Chỉ tiêu và mục tiêu"),
    "green-points": gettext_lazy("Điểm kinh doanh xanh được chứng nhận"),
    "fairs": gettext_lazy("Hội chợ sắp diễn ra"),
}


@cache_page(services.SNAPSHOT_SECONDS)  # no cookie, no user: the same bytes for everyone
def dataset(request, name: str, fmt: str):
    """One dataset as CSV (UTF-8 with BOM, so Excel opens Vietnamese correctly) or JSON
    with its licence; both carry the licence in a Link header."""
    if name not in DATASETS or fmt not in ("csv", "json"):
        raise Http404
    try:
        records = _records(name, request.GET.get("plan", ""))
    except Plan.DoesNotExist as exc:
        raise Http404("không có kế hoạch này (no such plan)") from exc
    if fmt == "json":
        body = {
            "dataset": name,
            "title": str(DATASETS[name]),
            "licence": services.LICENCE,
            "generated": timezone.now().isoformat(timespec="seconds"),
            "records": records,
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
        )
    else:
        out = io.StringIO()
        if records:
            writer = csv.DictWriter(out, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(safe_record(r) for r in records)
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="scpvn-{name}.csv"'
    response["Link"] = f'<{services.LICENCE["url"]}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
