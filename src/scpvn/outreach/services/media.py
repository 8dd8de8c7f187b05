"""Media rules: what a communication product counts toward its deliverable."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scpvn.orgs.officers import require_officer
from scpvn.outreach.models import MediaItem
from scpvn.progress.services import record_module_activity, withdraw_module_activity


def media_quantity(item: MediaItem) -> int:
    """Printed material counts copies (the plan sets 30,000 flyers); everything else counts
    one per article, report or clip."""
    return item.print_quantity if item.kind in MediaItem.PRINTED else 1


@transaction.atomic
def save_media_item(user, item: MediaItem) -> MediaItem:
    """Save a new or edited item for the officer's agency (an edit may not take another
    agency's item, nor hand one to another agency)."""
    require_officer(user, item.agency_id)
    if item.pk is not None:
        _require_owner(user, item)
    if item.kind in MediaItem.PRINTED and not item.print_quantity:
        raise ValidationError({"print_quantity": _("Ấn phẩm in cần số lượng in.")})
    if item.kind not in MediaItem.PRINTED and item.print_quantity:
        raise ValidationError({"print_quantity": _("Chỉ ấn phẩm in mới có số lượng in.")})
    if not item.link and not item.file:
        raise ValidationError({"link": _("Cần đường dẫn hoặc tệp đính kèm.")})
    item.full_clean()
    item.save()
    withdraw_module_activity(source=item)  # the deliverable may have been changed
    if item.deliverable_id:
        record_module_activity(
            source=item,
            deliverable=item.deliverable,
            quantity=media_quantity(item),
            date=item.date,
            agency=item.agency,
            title=f"{item.get_kind_display()}: {item.title}",
            description=item.outlet,
        )
    return item


@transaction.atomic
def delete_media_item(user, item: MediaItem) -> None:
    _require_owner(user, item)
    withdraw_module_activity(source=item)
    item.delete()


def _require_owner(user, item: MediaItem) -> None:
    """The agency stored for the item, not the one an edit proposes, decides who may act."""
    stored = MediaItem.objects.filter(pk=item.pk).values_list("agency_id", flat=True).first()
    require_officer(user, stored)
