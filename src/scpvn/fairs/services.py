"""Fair rules: who may apply, how booths are allocated, and what a held fair counts."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scpvn.fairs.models import Booth, Chain, FairApplication, FairEvent
from scpvn.orgs.officers import require_officer
from scpvn.progress.services import record_module_activity, withdraw_module_activity
from scpvn.registry.models import Enterprise
from scpvn.registry.services import enterprises_visible_to


class FairFull(ValidationError):
    """Every booth of the fair is taken."""


@transaction.atomic
def create_fair(user, event: FairEvent, zones: list[str] | None = None) -> FairEvent:
    """Save a new fair of the officer's agency and lay out its booths."""
    require_officer(user, event.agency_id)
    event.save()
    lay_out_booths(user, event, zones)
    return event


def lay_out_booths(user, event: FairEvent, zones: list[str] | None = None) -> int:
    """Create the booth layout up to the event's capacity (A01, A02…), spreading booths over
    `zones` in turn; existing booths are kept, so raising the capacity adds the new ones."""
    require_officer(user, event.agency_id)
    zones = zones or [""]
    existing = set(event.booths.values_list("code", flat=True))
    new = [
        Booth(event=event, code=f"A{n:02d}", zone=zones[(n - 1) % len(zones)])
        for n in range(1, event.capacity + 1)
        if f"A{n:02d}" not in existing
    ]
    Booth.objects.bulk_create(new)
    return len(new)


def apply_for_booth(
    user, *, event: FairEvent, enterprise: Enterprise, products: str
) -> FairApplication:
    """An enterprise applies once per fair, and only for an enterprise the user may act for
    (an enterprise user for their own)."""
    if event.status != FairEvent.Status.OPEN:
        raise ValidationError(_("Hội chợ không còn nhận đăng ký."))
    if not enterprises_visible_to(user).filter(pk=enterprise.pk).exists():
        raise ValidationError(_("Bạn không được đăng ký thay cho doanh nghiệp này."))
    if not products.strip():
        raise ValidationError(_("Hãy nêu sản phẩm trưng bày."))
    if FairApplication.objects.filter(event=event, enterprise=enterprise).exists():
        raise ValidationError(_("Doanh nghiệp đã đăng ký hội chợ này."))
    try:
        with transaction.atomic():
            return FairApplication.objects.create(
                event=event, enterprise=enterprise, products=products.strip(), submitted_by=user
            )
    except IntegrityError as exc:  # the same enterprise applied a moment ago
        raise ValidationError(_("Doanh nghiệp đã đăng ký hội chợ này.")) from exc


def allocate_booth(
    user, application: FairApplication, booth: Booth | None = None
) -> FairApplication:
    """An officer of the fair's agency gives the application a booth (see `_allocate`)."""
    require_officer(user, application.event.agency_id)
    return _allocate(application, booth)


@transaction.atomic
def _allocate(application: FairApplication, booth: Booth | None = None) -> FairApplication:
    """Give the application a free booth (the given one, or the first free in the layout).

    The event row is locked first, so two officers allocating at once are served one after
    the other and the second sees the first's booth taken; the one-to-one booth column makes
    the database refuse a double allocation even if this lock were bypassed."""
    event = FairEvent.objects.select_for_update().get(pk=application.event_id)
    application = FairApplication.objects.select_for_update().get(pk=application.pk)
    if application.status == FairApplication.Status.ALLOCATED:
        return application
    if event.status != FairEvent.Status.OPEN:
        raise ValidationError(_("Hội chợ không còn mở để xếp gian hàng."))
    free = event.booths.filter(application__isnull=True)
    if booth is not None:
        if not free.filter(pk=booth.pk).exists():
            raise ValidationError(_("Gian %(code)s không còn trống.") % {"code": booth.code})
    else:
        booth = free.order_by("code").first()
    if booth is None:
        raise FairFull(_("Hội chợ đã hết gian hàng (%(n)s/%(n)s).") % {"n": event.capacity})
    application.booth = booth
    application.status = FairApplication.Status.ALLOCATED
    application.save(update_fields=["booth", "status"])
    return application


def review_application(user, application: FairApplication, *, accept: bool) -> FairApplication:
    """Accepting allocates a booth, or puts the enterprise on the waiting list when the fair
    is full; refusing frees whatever it held."""
    require_officer(user, application.event.agency_id)
    if not accept:
        return _release(application, FairApplication.Status.REJECTED)
    try:
        return _allocate(application)
    except FairFull:
        application.status = FairApplication.Status.WAITLISTED
        application.save(update_fields=["status"])
        return application


def withdraw_application(user, application: FairApplication) -> FairApplication:
    require_officer(user, application.event.agency_id)
    return _release(application, FairApplication.Status.WITHDRAWN)


@transaction.atomic
def _release(application: FairApplication, status: str) -> FairApplication:
    """Free the booth and hand it to the first enterprise on the waiting list, so a booth
    given up before the fair is not left empty."""
    FairEvent.objects.select_for_update().get(pk=application.event_id)
    freed = application.booth
    application.booth = None
    application.status = status
    application.save(update_fields=["booth", "status"])
    if freed is not None:
        waiting = (
            FairApplication.objects.filter(
                event_id=application.event_id, status=FairApplication.Status.WAITLISTED
            )
            .order_by("submitted_at", "pk")
            .first()
        )
        if waiting is not None:
            _allocate(waiting, freed)
    return application


def check_in(user, application: FairApplication) -> FairApplication:
    require_officer(user, application.event.agency_id)
    if application.status != FairApplication.Status.ALLOCATED:
        raise ValidationError(_("Chỉ doanh nghiệp đã được xếp gian mới điểm danh được."))
    if application.checked_in_at is None:
        application.checked_in_at = timezone.now()
        application.save(update_fields=["checked_in_at"])
    return application


def report_sales(user, application: FairApplication, amount: Decimal) -> FairApplication:
    require_officer(user, application.event.agency_id)
    if application.checked_in_at is None:
        raise ValidationError(_("Doanh nghiệp chưa điểm danh tại hội chợ."))
    if amount < 0:
        raise ValidationError(_("Doanh thu không thể âm."))
    application.reported_sales = amount
    application.save(update_fields=["reported_sales"])
    return application


@transaction.atomic
def close_fair(user, event: FairEvent, *, visitors: int) -> FairEvent:
    """The fair was held: its occupied booths count toward its deliverable, and its chain
    counts once (dated by its first held fair)."""
    require_officer(user, event.agency_id)
    if event.status == FairEvent.Status.CANCELLED:
        raise ValidationError(_("Hội chợ đã hủy."))
    if visitors < 0:
        raise ValidationError(_("Số lượt khách không thể âm."))
    event.status = FairEvent.Status.HELD
    event.visitors = visitors
    event.save(update_fields=["status", "visitors"])
    booths = event.applications.filter(status=FairApplication.Status.ALLOCATED).count()
    if event.deliverable_id:
        record_module_activity(
            source=event,
            deliverable=event.deliverable,
            quantity=booths,
            date=event.end_date,
            agency=event.agency,
            district=event.district,
            title=_("Gian hàng tại %(name)s") % {"name": event.name},
        )
    if event.chain_id:
        _count_chain(event.chain)
    return event


def cancel_fair(user, event: FairEvent) -> FairEvent:
    require_officer(user, event.agency_id)
    event.status = FairEvent.Status.CANCELLED
    event.save(update_fields=["status"])
    withdraw_module_activity(source=event)
    if event.chain_id:
        _count_chain(event.chain)
    return event


def _count_chain(chain: Chain) -> None:
    first: dt.date | None = (
        chain.events.filter(status=FairEvent.Status.HELD)
        .order_by("end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    if first is None or chain.deliverable_id is None:
        withdraw_module_activity(source=chain)
        return
    record_module_activity(
        source=chain,
        deliverable=chain.deliverable,
        quantity=1,
        date=first,
        agency=chain.agency,
        title=_("Chuỗi kết nối %(name)s") % {"name": chain.name},
    )
