"""Capture: who may send and read which events (scope), and how a document is captured —
stored now when small, queued for the worker when large. The worker's task lives here too,
so storage (`repository`) never reaches back to the queue: no import circle.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from scpvn.orgs.policy import EVERYTHING, check, check_role, restrict, scope_q
from scpvn.orgs.roles import Role
from scpvn.registry.models import Enterprise
from scpvn.registry.services import enterprises_visible_to
from scpvn.trace.errors import TraceErrorCode
from scpvn.trace.models import Capture, Certification, EventEPC, Location, Lot, Product
from scpvn.trace.repository import SYNC_LIMIT, Scope, process_queued_capture, store_document
from scpvn.trace.scopes import CAPTURE
from scpvn.trace.validation import event_list


def _owned(enterprises: QuerySet[Enterprise]) -> Scope:
    return Scope(
        gtins=frozenset(
            Product.objects.filter(enterprise__in=enterprises).values_list("gtin", flat=True)
        ),
        glns=frozenset(
            Location.objects.filter(enterprise__in=enterprises).values_list("gln", flat=True)
        ),
    )


def capture_scope(user) -> Scope:
    """Whose events a user may capture. The city administrator and agency officers (and the
    system itself, user None, e.g. demo data) capture for anyone; an enterprise user only
    events that name a product (GTIN) or place (GLN) registered to one of their enterprises —
    a farm records its harvest, a market its receiving of someone else's lot."""
    if user is None or scope_q(user, Enterprise, CAPTURE) == EVERYTHING:
        return Scope()
    return _owned(restrict(Enterprise.objects.all(), user, CAPTURE))


def query_scope(user) -> Scope:
    """Whose events a user may read: the same enterprises the registry shows them."""
    if user is not None and scope_q(user, Enterprise) == EVERYTHING:
        return Scope()
    return _owned(enterprises_visible_to(user))


def products_visible_to(user) -> QuerySet[Product]:
    return restrict(Product.objects.select_related("enterprise"), user)


def locations_visible_to(user) -> QuerySet[Location]:
    return restrict(Location.objects.select_related("district"), user)


def lots_visible_to(user) -> QuerySet[Lot]:
    return restrict(Lot.objects.select_related("product"), user)


def save_master_data(user, record: Product | Location | Lot | Certification) -> None:
    """Register a product, place, lot or certification, only for an enterprise the user
    may capture for; a record tied to no enterprise only by those who capture for anyone."""
    product = getattr(record, "product", None)
    enterprise = product.enterprise if product is not None else record.enterprise
    message = _("Bạn chỉ được đăng ký dữ liệu cho doanh nghiệp của mình.")
    if enterprise is None:
        check_role(
            user,
            frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER}),
            message,
            TraceErrorCode.MASTER_DATA_OUT_OF_SCOPE,
        )
    else:
        check(user, CAPTURE, enterprise, message, TraceErrorCode.MASTER_DATA_OUT_OF_SCOPE)
    record.save()


def traceable_enterprise_ids(as_of: dt.date | None = None) -> set[int]:
    """Indicator 4.4.2 (agri-food enterprises traceable by QR code): the
    enterprises with at least one product that has captured EPCIS events — recorded on or
    before `as_of` when given (for a reporting period), else up to now. A product with a QR
    label but no events is not traceable: the scan would show nothing."""
    links = EventEPC.objects.exclude(gtin="")
    if as_of is not None:
        end = dt.datetime.combine(
            as_of + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
        )
        links = links.filter(event__record_time__lt=end)
    return set(
        Product.objects.filter(gtin__in=links.values("gtin"))
        .values_list("enterprise_id", flat=True)
        .distinct()
    )


def traceable_responses(traceable: bool, end: dt.date) -> Q:
    """The indicator condition `{traceable: …}` as a filter on assessment responses, as
    registered with the indicator engine by TraceConfig.ready."""
    selected = Q(enterprise_id__in=traceable_enterprise_ids(as_of=end))
    return selected if traceable else ~selected


def capture_document(document: dict, user, scope: Scope) -> Capture:
    """Small documents are stored now (the capture is final when this returns); large ones
    are queued for the worker. Raises EventError for a refused small document (nothing kept)."""
    if len(event_list(document)) > SYNC_LIMIT:
        capture = Capture.objects.create(user=user, document=document)
        process_capture.enqueue(str(capture.pk))
        return capture
    capture = Capture(user=user)
    with transaction.atomic():
        capture.save()
        store_document(document, capture, scope)
    return capture


@task()
def process_capture(capture_id: str) -> str:
    """Worker side of a large capture, with the scope of the user who sent it."""
    capture = Capture.objects.select_related("user").get(pk=capture_id)
    if capture.state != Capture.State.QUEUED:
        return capture.state
    process_queued_capture(capture, capture_scope(capture.user))
    return capture.state
