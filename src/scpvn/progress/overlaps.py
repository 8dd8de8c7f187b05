"""Outputs that may be counted twice: a hand-entered activity and a module's record of the
same deliverable, close in date, at the same venue or with the same quantity. Reviewers see
them listed and void the hand-entered one (`services.void_activity`); new ones are refused at
the door (`services.check_module_record`)."""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from scpvn.plans.models import Deliverable, Plan
from scpvn.progress.models import Activity

# Three words in a row of the module record's venue found in the hand-entered text.
VENUE_WORDS = 3


@dataclass(frozen=True)
class Overlap:
    deliverable: Deliverable
    entered: Activity  # by hand
    record: Activity  # by a module
    reasons: tuple[str, ...]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def same_venue(venue: str, text: str) -> bool:
    words, haystack = _words(venue), " ".join(_words(text))
    windows = (words[i : i + VENUE_WORDS] for i in range(len(words) - VENUE_WORDS + 1))
    return any(f" {' '.join(w)} " in f" {haystack} " for w in windows)


def overlap_reasons(entered: Activity, record: Activity) -> tuple[str, ...]:
    """Why the two may be one output; empty when they are not close enough in date."""
    if abs((entered.date - record.date).days) > settings.SCPVN_OVERLAP_DAYS:
        return ()
    reasons = []
    venue = getattr(record.source, "venue", "") or ""
    if venue and same_venue(venue, f"{entered.title} {entered.description}"):
        reasons.append(_("cùng địa điểm (%(venue)s)") % {"venue": venue})
    if entered.quantity > 1 and entered.quantity == record.quantity:
        reasons.append(_("cùng số lượng (%(quantity)s)") % {"quantity": f"{entered.quantity:n}"})
    return tuple(reasons)


def find_overlaps(plan: Plan) -> list[Overlap]:
    """Every pair of a counted hand-entered activity and a module record that may be the
    same output, by deliverable code then date."""
    counted = Activity.objects.filter(
        task__plan=plan,
        status=Activity.Status.APPROVED,
        module_record__isnull=True,
        deliverable__isnull=False,
    ).select_related("deliverable__task")
    records: dict[int, list[Activity]] = defaultdict(list)
    for record in counted.filter(source_type__isnull=False).prefetch_related("source"):
        records[record.deliverable_id].append(record)
    found = []
    for entered in counted.filter(source_type__isnull=True, deliverable__in=list(records)):
        for record in records[entered.deliverable_id]:
            if reasons := overlap_reasons(entered, record):
                found.append(Overlap(entered.deliverable, entered, record, reasons))
    found.sort(key=lambda o: (o.deliverable.task.number, o.deliverable.order, o.entered.date))
    return found
