"""EPCIS 2.0 REST binding under /epcis/ (capture, events, top-level resources, named queries).

Thin: requests are parsed here, the rules live in `repository`, `capture` and
`namedqueries`. Per-user token (an unauthenticated call is answered 401 with
WWW-Authenticate) or session; JSON, JSON-LD and XML alike (`xmlbinding`: XML capture is
read into the JSON-LD document and captured on the same path; `answer` picks the
representation of a query answer from Accept, in one place); errors are RFC 9457
problem+json whose
`type` is the EPCIS exception and `code` the project's stable code.
"""

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from scpvn.core.jsonlimits import read_json
from scpvn.core.problems import problem
from scpvn.core.tokens import ExpiringTokenAuthentication
from scpvn.orgs.access import HasRole
from scpvn.orgs.roles import ALL_ROLES
from scpvn.trace.batching import single_events
from scpvn.trace.capture import capture_document, query_scope
from scpvn.trace.errors import TraceErrorCode
from scpvn.trace.masterdata import described
from scpvn.trace.models import Capture
from scpvn.trace.namedqueries import (
    NoSuchQuery,
    QueryExists,
    as_params,
    create_query,
    delete_query,
    namespaces_of,
    queries_of,
    query_named,
)
from scpvn.trace.repository import (
    EPCIS_CONTEXT,
    QueryError,
    QueryTooLarge,
    page_of_events,
    query_document,
    scoped_events,
)
from scpvn.trace.scopes import CAPTURE_ROLES
from scpvn.trace.validation import EVENT_TYPES, EventError, read_document, read_single_event
from scpvn.trace.xmlbinding import XML_TYPES, query_document_xml, read_xml_document

EPCIS_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
JSON_TYPES = ("application/json", "application/ld+json")
# top-level resource → (query parameter, column listing its members)
RESOURCES = {
    "eventTypes": ("eventType", "event_type"),
    "bizSteps": ("EQ_bizStep", "biz_step"),
    "bizLocations": ("EQ_bizLocation", "biz_location"),
    "readPoints": ("EQ_readPoint", "read_point"),
    "dispositions": ("EQ_disposition", "disposition"),
    "epcs": ("MATCH_anyEPC", None),
}


# EPCIS exception type for a status the standard's binding lists (openapi.yaml responses).
EXCEPTION_TYPES = {
    400: "epcisException:ValidationException",
    401: "epcisException:SecurityException",
    403: "epcisException:SecurityException",
    404: "epcisException:NoSuchNameException",
    406: "epcisException:NotAcceptableException",
    409: "epcisException:ResourceAlreadyExistsException",
    413: "epcisException:QueryTooLargeException",
    414: "epcisException:URITooLongException",
    415: "epcisException:UnsupportedMediaTypeException",
    500: "epcisException:ImplementationException",
}


def epcis_problem(status: int, detail: str, code: TraceErrorCode, **extra) -> JsonResponse:
    """problem+json with the EPCIS exception for `type` and the project's `code`."""
    kind = extra.pop("type", EXCEPTION_TYPES.get(status, "about:blank"))
    return problem(status, detail, type=kind, code=str(code), **extra)


def query_problem(error: QueryError) -> JsonResponse:
    if isinstance(error, QueryTooLarge):
        return epcis_problem(413, str(error), TraceErrorCode.QUERY_TOO_LARGE)
    return epcis_problem(
        400,
        str(error),
        TraceErrorCode.QUERY_PARAMETER,
        type="epcisException:QueryParameterException",
    )


def request_namespaces(request) -> dict[str, str]:
    """Extension prefixes the client declares in the GS1-Extensions header
    (`prefix=iri, prefix2=iri2`), used to read `EQ_prefix:field` parameters."""
    found = {}
    for entry in request.headers.get("GS1-Extensions", "").split(","):
        prefix, _, iri = entry.strip().partition("=")
        if prefix and iri:
            found[prefix.strip()] = iri.strip()
    return found


def epcis_json(body: dict, status: int = 200, **headers) -> JsonResponse:
    response = JsonResponse(
        body,
        status=status,
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in {**EPCIS_HEADERS, **headers}.items():
        response[name] = value
    return response


def wants_xml(request) -> bool:
    """Content negotiation for query answers: XML when the client prefers application/xml
    (or text/xml) to every JSON type it accepts, by q-value then by order; JSON-LD
    otherwise (no Accept, */*)."""
    best: tuple[float, int, bool] | None = None
    for position, entry in enumerate(request.headers.get("Accept", "").split(",")):
        media, *params = (part.strip() for part in entry.split(";"))
        media = media.lower()
        if media not in (*XML_TYPES, *JSON_TYPES, "application/*", "*/*"):
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        rank = (quality, -position, media in XML_TYPES)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return bool(best and best[2])


def answer(request, body: dict, status: int = 200, **headers) -> HttpResponse:
    """A query document as the client asked for it: EPCIS 2.0 XML or JSON-LD."""
    if not wants_xml(request):
        return epcis_json(body, status, **headers)
    response = HttpResponse(
        query_document_xml(body), status=status, content_type="application/xml; charset=utf-8"
    )
    for name, value in {**EPCIS_HEADERS, **headers}.items():
        response[name] = value
    response["Vary"] = "Accept"
    return response


def event_problem(error: EventError) -> JsonResponse:
    body = error.as_problem()
    body.setdefault("code", str(TraceErrorCode.CAPTURE_REFUSED))
    kind = "epcisException:CaptureLimitExceededException" if error.status in (413, 429) else None
    body.setdefault("type", kind or EXCEPTION_TYPES.get(error.status, "about:blank"))
    response = problem(error.status, body.pop("detail"), **body)
    if getattr(error, "retry_after", None):
        response["Retry-After"] = str(error.retry_after)
    return response


class EPCISSchema(AutoSchema):
    """GS1 publishes the OpenAPI document of these endpoints; ours does not repeat it."""

    def is_excluded(self) -> bool:
        return True


class BodyLeftAloneParser(BaseParser):
    """Accepts any body without reading it: the views read `request.body` themselves (and
    answer 415 for a type they do not take). With no parser at all, the CSRF check of a
    signed-in session (which looks at `request.POST`) answered 415 to every capture."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None) -> dict:
        return {}


class LinkedDataRenderer(JSONRenderer):
    """Lets `Accept: application/ld+json` through content negotiation (the views answer
    JSON-LD themselves); without it DRF answered 406."""

    media_type = "application/ld+json"


class XMLRenderer(JSONRenderer):
    """Lets `Accept: application/xml` through DRF's negotiation; `answer` writes the XML."""

    media_type = "application/xml"
    format = "xml"


class TextXMLRenderer(XMLRenderer):
    media_type = "text/xml"


class ProblemRenderer(JSONRenderer):
    """Lets a client that accepts only problem+json (as some test tools do) through."""

    media_type = "application/problem+json"


class EPCISView(APIView):
    schema = EPCISSchema()
    # Token first: its WWW-Authenticate challenge turns an unauthenticated call into a 401.
    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    write_roles = CAPTURE_ROLES
    parser_classes = [BodyLeftAloneParser]
    renderer_classes = [
        LinkedDataRenderer,
        JSONRenderer,
        ProblemRenderer,
        XMLRenderer,
        TextXMLRenderer,
    ]

    def handle_exception(self, exc):
        """DRF's refusals (authentication, permission, negotiation, method, 404) keep the
        project's problem+json and `code`, with the EPCIS exception as `type`."""
        response = super().handle_exception(exc)
        if isinstance(response.data, dict) and response.data.get("type") == "about:blank":
            response.data["type"] = EXCEPTION_TYPES.get(response.status_code, "about:blank")
        return response


class CaptureView(EPCISView):
    """POST an EPCISDocument (JSON-LD, or XML read into the same JSON-LD document); 202 with
    Location of the capture job (final for ≤1,000 events)."""

    def post(self, request):
        content_type = request.content_type  # Django's: the media type alone, lowercased
        if content_type not in JSON_TYPES + XML_TYPES:
            return epcis_problem(
                415,
                "Chỉ nhận application/json, application/ld+json hoặc application/xml",
                TraceErrorCode.UNSUPPORTED_MEDIA_TYPE,
            )
        try:
            if content_type in XML_TYPES:
                document = read_xml_document(request.body)
            else:
                document = read_document(request.body)
            capture = capture_document(request.user, document)
        except EventError as error:
            return event_problem(error)
        location = reverse("trace:capture-detail", kwargs={"capture_id": capture.pk})
        return HttpResponse(status=202, headers={**EPCIS_HEADERS, "Location": location})


class CaptureDetailView(EPCISView):
    def get(self, request, capture_id):
        capture = Capture.objects.filter(pk=capture_id).first()
        if capture is None or (
            capture.user_id != request.user.pk and not query_scope(request.user).unrestricted
        ):
            return epcis_problem(
                404, "Không tìm thấy lần ghi nhận này", TraceErrorCode.NO_SUCH_NAME
            )
        return epcis_json(
            {
                "captureID": str(capture.pk),
                "createdAt": capture.created_at.isoformat(),
                "finishedAt": capture.finished_at.isoformat() if capture.finished_at else None,
                "running": capture.state == Capture.State.QUEUED,
                "success": capture.state == Capture.State.SUCCESS,
                "captureErrorBehaviour": "rollback",
                "eventCount": capture.event_count,
                "errors": capture.errors,
            }
        )


def paged_response(
    request, params, namespaces: dict[str, str] | None = None, query_name: str = ""
) -> HttpResponse:
    namespaces = {**request_namespaces(request), **(namespaces or {})}
    try:
        events, token = page_of_events(params, query_scope(request.user), namespaces=namespaces)
    except QueryError as error:
        return query_problem(error)
    headers = {}
    if token:
        query = params.copy()
        query["nextPageToken"] = token
        headers["Link"] = (
            f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
        )
    return answer(request, query_document(events, query_name or "SimpleEventQuery"), **headers)


class EventsView(EPCISView):
    """GET /epcis/events with the SimpleEventQuery parameters, paged by a Link header; POST
    one event (JSON-LD with its @context), captured now as a one-event document by the same
    rules as /epcis/capture (with the events of requests arriving meanwhile: `batching`):
    201 with the Location of the stored event."""

    def get(self, request):
        return paged_response(request, request.GET)

    def post(self, request):
        if request.content_type not in JSON_TYPES:
            return epcis_problem(
                415,
                "Sự kiện gửi riêng lẻ nhận application/json hoặc application/ld+json; "
                "tài liệu XML gửi tới /epcis/capture",
                TraceErrorCode.UNSUPPORTED_MEDIA_TYPE,
            )
        try:
            event_id = single_events.capture(request.user, read_single_event(request.body))
        except EventError as error:
            return event_problem(error)
        location = reverse("trace:event-detail", kwargs={"event_id": event_id})
        return HttpResponse(status=201, headers={**EPCIS_HEADERS, "Location": location})


class EventDetailView(EPCISView):
    """GET /epcis/events/{eventID}: the event, and its error declaration if there is one."""

    def get(self, request, event_id):
        events = list(
            scoped_events(query_scope(request.user))
            .filter(event_id=event_id)
            .select_related("capture")
            .order_by("pk")
        )
        if not events:
            return epcis_problem(404, f"Không có sự kiện {event_id}", TraceErrorCode.NO_SUCH_NAME)
        return answer(request, query_document(events))


class ResourceListView(EPCISView):
    """GET /epcis/eventTypes, /epcis/bizSteps, ...: the members of a top-level resource."""

    def get(self, request, resource):
        _param, column = RESOURCES[resource]
        if resource == "eventTypes":
            members = list(EVENT_TYPES)
        elif column is None:
            return epcis_problem(
                400, "Hãy dùng /epcis/epcs/{epc}/events", TraceErrorCode.QUERY_PARAMETER
            )
        else:
            scope = query_scope(request.user)
            events = scoped_events(scope).exclude(**{column: ""})
            members = sorted(set(events.values_list(column, flat=True)) | described(column, scope))
        return epcis_json({"@context": EPCIS_CONTEXT, "type": "Collection", "member": members})


class ResourceEventsView(EPCISView):
    """GET /epcis/{resource}/{value}/events: the events query narrowed to that member."""

    def get(self, request, resource, value):
        param, _column = RESOURCES[resource]
        params = request.GET.copy()
        params.setlist(param, [value])
        return paged_response(request, params)


class QueriesView(EPCISView):
    """GET /epcis/queries: the user's named queries; POST: save one ({name, query})."""

    write_roles = ALL_ROLES  # saving a query reads; it writes no event

    def get(self, request):
        return JsonResponse(
            [{"name": q.name, "query": q.query} for q in queries_of(request.user)],
            safe=False,
            json_dumps_params={"ensure_ascii": False},
            headers=EPCIS_HEADERS,
        )

    def post(self, request):
        if request.content_type not in JSON_TYPES:
            return epcis_problem(
                415,
                "Chỉ nhận application/json hoặc application/ld+json",
                TraceErrorCode.UNSUPPORTED_MEDIA_TYPE,
            )
        try:
            named = create_query(request.user, read_json(request.body or b"null"))
        except (ValueError, UnicodeDecodeError) as error:
            if isinstance(error, QueryExists):
                return epcis_problem(409, str(error), TraceErrorCode.QUERY_EXISTS)
            if isinstance(error, QueryError):
                return query_problem(error)
            return epcis_problem(
                400,
                f"Nội dung không phải JSON hợp lệ: {error}",
                TraceErrorCode.QUERY_PARAMETER,
                type="epcisException:QueryParameterException",
            )
        location = reverse("trace:query", kwargs={"name": named.name})
        return HttpResponse(status=201, headers={**EPCIS_HEADERS, "Location": location})


class QueryView(EPCISView):
    """GET /epcis/queries/{name}: the definition; DELETE: forget it."""

    write_roles = ALL_ROLES

    def get(self, request, name):
        try:
            named = query_named(request.user, name)
        except NoSuchQuery as error:
            return epcis_problem(404, str(error), TraceErrorCode.NO_SUCH_NAME)
        return JsonResponse(
            {"name": named.name, "query": named.query},
            json_dumps_params={"ensure_ascii": False},
            headers=EPCIS_HEADERS,
        )

    def delete(self, request, name):
        try:
            delete_query(request.user, name)
        except NoSuchQuery as error:
            return epcis_problem(404, str(error), TraceErrorCode.NO_SUCH_NAME)
        return HttpResponse(status=204, headers=EPCIS_HEADERS)


class QueryEventsView(EPCISView):
    """GET /epcis/queries/{name}/events: run the named query (paging as /events)."""

    def get(self, request, name):
        try:
            named = query_named(request.user, name)
            params = as_params(named.query)
        except NoSuchQuery as error:
            return epcis_problem(404, str(error), TraceErrorCode.NO_SUCH_NAME)
        except QueryError as error:
            return query_problem(error)
        for paging in ("perPage", "nextPageToken"):
            if paging in request.GET:
                params[paging] = request.GET[paging]
        return paged_response(request, params, namespaces_of(named.query), named.name)


def not_found(request, rest: str = "") -> JsonResponse:
    """Any other path under /epcis/: a problem+json 404, never the site's page."""
    return epcis_problem(
        404, f"Không có tài nguyên EPCIS {request.path}", TraceErrorCode.NO_SUCH_NAME
    )
