"""EPCIS 2.0 REST binding under /epcis/ (capture, events, top-level resources).

Thin: requests are parsed here, the rules live in `repository` and `capture`. Session or
per-user token (DRF TokenAuthentication); errors are RFC 9457 problem+json.
"""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from rest_framework.parsers import BaseParser
from rest_framework.views import APIView

from scpvn.core.problems import problem
from scpvn.orgs.access import HasRole
from scpvn.orgs.roles import ALL_ROLES
from scpvn.trace.capture import capture_document, query_scope
from scpvn.trace.models import Capture
from scpvn.trace.repository import (
    EPCIS_CONTEXT,
    QueryError,
    page_of_events,
    query_document,
    scoped_events,
)
from scpvn.trace.scopes import CAPTURE_ROLES
from scpvn.trace.validation import EVENT_TYPES, EventError, read_document

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


def event_problem(error: EventError) -> JsonResponse:
    body = error.as_problem()
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


class EPCISView(APIView):
    schema = EPCISSchema()
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    write_roles = CAPTURE_ROLES
    parser_classes = [BodyLeftAloneParser]


class CaptureView(EPCISView):
    """POST an EPCISDocument; 202 with Location of the capture job (final for ≤1,000 events)."""

    def post(self, request):
        content_type = request.content_type.split(";")[0].strip()
        if content_type not in JSON_TYPES:
            return problem(415, "Chỉ nhận application/json hoặc application/ld+json")
        try:
            document = read_document(request.body)
            capture = capture_document(request.user, document)
        except EventError as error:
            return event_problem(error)
        response = HttpResponse(status=202)
        response["Location"] = reverse("trace:capture-detail", kwargs={"capture_id": capture.pk})
        for name, value in EPCIS_HEADERS.items():
            response[name] = value
        return response


class CaptureDetailView(EPCISView):
    def get(self, request, capture_id):
        capture = get_object_or_404(Capture, pk=capture_id)
        if capture.user_id != request.user.pk and not query_scope(request.user).unrestricted:
            return problem(404, "Không tìm thấy lần ghi nhận này")
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


def paged_response(request, params) -> JsonResponse:
    try:
        events, token = page_of_events(params, query_scope(request.user))
    except QueryError as error:
        return problem(400, str(error))
    headers = {}
    if token:
        query = params.copy()
        query["nextPageToken"] = token
        headers["Link"] = (
            f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
        )
    return epcis_json(query_document(events), **headers)


class EventsView(EPCISView):
    """GET /epcis/events with the SimpleEventQuery parameters, paged by a Link header."""

    def get(self, request):
        return paged_response(request, request.GET)


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
            return problem(404, f"Không có sự kiện {event_id}")
        return epcis_json(query_document(events))


class ResourceListView(EPCISView):
    """GET /epcis/eventTypes, /epcis/bizSteps, ...: the members of a top-level resource."""

    def get(self, request, resource):
        _param, column = RESOURCES[resource]
        if resource == "eventTypes":
            members = list(EVENT_TYPES)
        elif column is None:
            return problem(400, "Hãy dùng /epcis/epcs/{epc}/events")
        else:
            events = scoped_events(query_scope(request.user)).exclude(**{column: ""})
            members = sorted(set(events.values_list(column, flat=True)))
        return epcis_json({"@context": EPCIS_CONTEXT, "type": "Collection", "member": members})


class ResourceEventsView(EPCISView):
    """GET /epcis/{resource}/{value}/events: the events query narrowed to that member."""

    def get(self, request, resource, value):
        param, _column = RESOURCES[resource]
        params = request.GET.copy()
        params.setlist(param, [value])
        return paged_response(request, params)
