"""The review workflow shared by everything that is written, sent for review, then approved
or returned with a reason (progress activities, periodic reports).

    draft ──submit──▶ submitted ──approve──▶ approved
    returned ─submit─┘          └──return──▶ returned

The states and moves live here once; who may act stays with the app (each checks its roles
and scope before calling), as do the notifications and what else an app changes on a move
(passed as `extra` fields: a report freezes its figures on submit). A reviewed model has
`status`, `version`, `submitted_by/at`, `reviewed_by/at` and `review_comment`.
"""

import datetime as dt
from enum import StrEnum
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

Reviewed = TypeVar("Reviewed", bound=models.Model)


class ReviewErrorCode(StrEnum):
    """Refusals of the workflow itself, whichever app's record is moved."""

    WRONG_STATE = "review.wrong_state"
    REASON_REQUIRED = "review.reason_required"


DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"
SUBMITTABLE = frozenset({DRAFT, RETURNED})
REVIEWABLE = frozenset({SUBMITTED})


def transition(obj: Reviewed, allowed_from: set[str] | frozenset[str], **changes: Any) -> Reviewed:
    """Moves a reviewed record on, refusing if someone else moved it first; the row is
    locked meanwhile. Call inside a transaction."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if locked.status not in allowed_from:
        raise ValidationError(
            _("Không thể thực hiện: %(what)s đang ở trạng thái “%(status)s”.")
            % {"what": locked._meta.verbose_name, "status": locked.get_status_display()},
            code=ReviewErrorCode.WRONG_STATE,
        )
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save()
    return locked


def submit(
    obj: Reviewed, by: models.Model, at: dt.datetime | None = None, **extra: Any
) -> Reviewed:
    """A draft or returned record goes for review."""
    return transition(
        obj,
        SUBMITTABLE,
        status=SUBMITTED,
        submitted_by=by,
        submitted_at=at or timezone.now(),
        **extra,
    )


def approve(
    obj: Reviewed, by: models.Model, comment: str = "", at: dt.datetime | None = None, **extra: Any
) -> Reviewed:
    """A submitted record is accepted, with an optional comment."""
    return transition(
        obj,
        REVIEWABLE,
        status=APPROVED,
        reviewed_by=by,
        reviewed_at=at or timezone.now(),
        review_comment=comment.strip(),
        **extra,
    )


def send_back(obj: Reviewed, by: models.Model, comment: str, **extra: Any) -> Reviewed:
    """A submitted record goes back to its author with the reason, which is required: the
    author must know what to fix."""
    if not comment.strip():
        reason = ValidationError(_("Hãy ghi lý do trả lại."), code=ReviewErrorCode.REASON_REQUIRED)
        raise ValidationError({"comment": reason})
    return transition(
        obj,
        REVIEWABLE,
        status=RETURNED,
        reviewed_by=by,
        reviewed_at=timezone.now(),
        review_comment=comment.strip(),
        **extra,
    )
