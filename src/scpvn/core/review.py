"""The review workflow shared by everything that is written, sent for review, then approved
or returned with a reason (progress activities, periodic reports).

    draft ──submit──▶ submitted ──approve──▶ approved
    returned ─submit─┘          └──return──▶ returned

The states and moves live here once; who may act stays with the app (each checks its roles
and scope before calling), as do the notifications and what else an app changes on a move
(passed as `extra` fields: a report freezes its figures on submit). A reviewed model has a
`status` with these four values (its own labels) and the fields of `ReviewedRecord`.
"""

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ReviewedRecord(models.Model):
    """Who sent a record for review and when, who reviewed it, when and what they said, and
    the version every move bumps (a form carrying an older one was changed by someone else)."""

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("người gửi"),
    )
    submitted_at = models.DateTimeField(gettext_lazy("gửi lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("người duyệt"),
    )
    reviewed_at = models.DateTimeField(gettext_lazy("duyệt lúc"), null=True, blank=True)
    review_comment = models.TextField(gettext_lazy("ý kiến người duyệt"), blank=True)
    version = models.PositiveIntegerField(gettext_lazy("phiên bản"), default=1)

    class Meta:
        abstract = True


Reviewed = TypeVar("Reviewed", bound=ReviewedRecord)


class ReviewErrorCode(StrEnum):
    """Refusals of the workflow itself, whichever app's record is moved."""

    WRONG_STATE = "review.wrong_state"
    REASON_REQUIRED = "review.reason_required"
    OWN_WORK = "review.own_work"


DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"
SUBMITTABLE = frozenset({DRAFT, RETURNED})
REVIEWABLE = frozenset({SUBMITTED})


def transition(
    obj: Reviewed,
    allowed_from: set[str] | frozenset[str],
    guard: Callable[[Reviewed], None] | None = None,
    **changes: Any,
) -> Reviewed:
    """Moves a reviewed record on, refusing if someone else moved it first (or `guard`
    refuses the locked row); the row is locked meanwhile. Call inside a transaction."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if locked.status not in allowed_from:
        raise ValidationError(
            _("Không thể thực hiện: %(what)s đang ở trạng thái “%(status)s”.")
            % {"what": locked._meta.verbose_name, "status": locked.get_status_display()},
            code=ReviewErrorCode.WRONG_STATE,
        )
    if guard is not None:
        guard(locked)
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
    """A submitted record is accepted, with an optional comment, by someone other than its
    author (four eyes, whatever the approver's role: a city administrator too)."""

    def not_own_work(locked: Reviewed) -> None:
        if by.pk in authors(locked):
            raise ValidationError(
                _("Bạn không thể tự duyệt %(what)s do chính mình soạn hoặc gửi.")
                % {"what": locked._meta.verbose_name},
                code=ReviewErrorCode.OWN_WORK,
            )

    return transition(
        obj,
        REVIEWABLE,
        not_own_work,
        status=APPROVED,
        reviewed_by=by,
        reviewed_at=at or timezone.now(),
        review_comment=comment.strip(),
        **extra,
    )


def authors(obj: models.Model) -> set[int]:
    """Who wrote or sent the record: its creator (`created_by`, when the model has one) and
    whoever submitted it."""
    ids = {getattr(obj, "created_by_id", None), getattr(obj, "submitted_by_id", None)}
    return {pk for pk in ids if pk is not None}


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
