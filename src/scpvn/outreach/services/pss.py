"""Product-service-system rules: a published guidance document and a completed pilot each
count once toward their deliverable."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scpvn.orgs.officers import require_officer
from scpvn.outreach.models import GuidanceDocument, PssPilot
from scpvn.progress.services import record_module_activity


@transaction.atomic
def publish_guidance(user, document: GuidanceDocument) -> GuidanceDocument:
    require_officer(user, document.agency_id)
    if not document.file and not document.link:
        raise ValidationError(_("Tài liệu cần tệp hoặc đường dẫn."))
    document.full_clean()
    document.save()
    if document.deliverable_id:
        record_module_activity(
            source=document,
            deliverable=document.deliverable,
            quantity=1,
            date=document.published,
            agency=document.agency,
            title=_("Tài liệu hướng dẫn: %(t)s") % {"t": document.title},
        )
    return document


@transaction.atomic
def complete_pilot(user, pilot: PssPilot, *, results: str, on: dt.date) -> PssPilot:
    """A pilot counts as a model built once it is completed with its results written down."""
    require_officer(user, pilot.agency_id)
    if not results.strip():
        raise ValidationError(_("Hãy ghi lại kết quả của mô hình."))
    if on < pilot.started:
        raise ValidationError(_("Ngày hoàn thành trước ngày bắt đầu."))
    pilot.results = results.strip()
    pilot.completed = on
    pilot.status = PssPilot.Status.COMPLETED
    pilot.save(update_fields=["results", "completed", "status"])
    if pilot.deliverable_id:
        record_module_activity(
            source=pilot,
            deliverable=pilot.deliverable,
            quantity=1,
            date=on,
            agency=pilot.agency,
            title=_("Mô hình PSS: %(n)s") % {"n": pilot.name},
        )
    return pilot
