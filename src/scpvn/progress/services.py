"""Progress rules. Modules that run the work (fairs, trainings, media) record it here."""

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from scpvn.orgs.models import Agency
from scpvn.plans.models import Deliverable
from scpvn.progress.models import Activity


@transaction.atomic
def record_module_activity(
    *,
    source: models.Model,
    deliverable: Deliverable,
    quantity: Decimal | int,
    date: dt.date,
    agency: Agency,
    title: str,
    description: str = "",
    district=None,
) -> Activity:
    """Create or update the approved activity that `source` (a fair, a training, a media
    item…) contributes to `deliverable`. One activity per source and deliverable, so saving
    the source again updates its count instead of adding another."""
    activity, _ = Activity.objects.update_or_create(
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        deliverable=deliverable,
        defaults={
            "task": deliverable.task,
            "quantity": quantity,
            "date": date,
            "agency": agency,
            "district": district,
            "title": title[:255],
            "description": description,
            "status": Activity.Status.APPROVED,
        },
    )
    return activity


def withdraw_module_activity(*, source: models.Model) -> int:
    """Remove what `source` contributed (it was cancelled or deleted); returns how many."""
    deleted, _ = Activity.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).delete()
    return deleted
