"""Progress rules: who records and reviews which activities, what a valid activity is, the
evidence accepted, and the notifications people receive. Views, the API, the demo and
background jobs all go through these functions, so a rule is enforced once.

Modules that run the work themselves (fairs, trainings, media) record it with
`record_module_activity`; those activities are approved on creation.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from scpvn.core import review
from scpvn.core.concurrency import EditConflict, save_if_unchanged
from scpvn.core.errors import Denied
from scpvn.core.files import DOCUMENTS, IMAGES, validate_upload
from scpvn.geo.models import District, Unit
from scpvn.geo.placing import place_record
from scpvn.notifications.services import notify
from scpvn.orgs.models import Agency, User
from scpvn.orgs.policy import CHANGE, allows, check, check_role, restrict
from scpvn.orgs.roles import Role
from scpvn.plans.models import Deliverable, Duty, Task
from scpvn.progress.errors import ProgressErrorCode
from scpvn.progress.models import Activity, Evidence
from scpvn.progress.scopes import (
    RECORD,
    REVIEW,
    REVIEWER_ROLES,
    acting_agency,
)


class StaleVersion(ValidationError):
    """The record was saved by someone else after the caller read it: a page asks to reload,
    the API answers 409 Conflict."""


def _stale(current: Activity) -> StaleVersion:
    return StaleVersion(
        _(
            "Hoạt động vừa được người khác sửa (phiên bản %(current)s). Hãy tải lại "
            "trang để xem thay đổi rồi nhập lại."
        )
        % {"current": current.version},
        code=ProgressErrorCode.STALE_VERSION,
    )


# --- scope -------------------------------------------------------------------------------


def tasks_recordable_by(user: User) -> QuerySet[Task]:
    """Tasks a user may record activities for (rule in progress/scopes.py)."""
    tasks = Task.objects.select_related("plan", "lead").order_by("plan", "number")
    return restrict(tasks, user, RECORD)


def activities_visible_to(user: User) -> QuerySet[Activity]:
    """The activities a user reaches (rule in progress/scopes.py)."""
    return restrict(Activity.objects.all(), user)


def can_edit(user: User, activity: Activity) -> bool:
    """The author's agency edits its own drafts and returned activities; never approved ones."""
    return activity.editable and allows(user, CHANGE, activity)


def can_review(user: User, activity: Activity) -> bool:
    return activity.status == Activity.Status.SUBMITTED and allows(user, REVIEW, activity)


# --- validation --------------------------------------------------------------------------


def parse_quantity(value: object) -> Decimal:
    """A non-negative number; the plan counts articles, classes, booths — never less than 0."""
    try:
        quantity = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({"quantity": _bad_quantity()}) from None
    if not quantity.is_finite():
        raise ValidationError({"quantity": _bad_quantity()})
    if quantity < 0:
        raise ValidationError(
            {
                "quantity": ValidationError(
                    _("Số lượng không được âm."), code=ProgressErrorCode.INVALID_QUANTITY
                )
            }
        )
    return quantity


def _bad_quantity() -> ValidationError:
    return ValidationError(
        _("Số lượng phải là một số (ví dụ 3 hoặc 2,5)."), code=ProgressErrorCode.INVALID_QUANTITY
    )


def check_activity(
    *, task: Task, deliverable: Deliverable | None, date: dt.date, quantity: object
) -> tuple[Decimal, list[str]]:
    """Refuses what cannot be true (a date outside the plan, a deliverable of another task, a
    bad quantity) and returns warnings for what is unusual but real (work done before or
    after the task's window still happened, and the reviewer should see it)."""
    errors: dict[str, list[ValidationError]] = {}
    warnings: list[str] = []
    try:
        number = parse_quantity(quantity)
    except ValidationError as exc:
        errors.update(exc.error_dict)
        number = Decimal(0)
    plan = task.plan
    if not plan.period_start <= date <= plan.period_end:
        errors.setdefault("date", []).append(
            ValidationError(
                _("Ngày %(date)s nằm ngoài thời gian của kế hoạch (%(start)s – %(end)s).")
                % {
                    "date": f"{date:%d/%m/%Y}",
                    "start": f"{plan.period_start:%d/%m/%Y}",
                    "end": f"{plan.period_end:%d/%m/%Y}",
                },
                code=ProgressErrorCode.DATE_OUTSIDE_PLAN,
            )
        )
    elif not task.is_open_on(date):
        warnings.append(
            _("Ngày %(date)s nằm ngoài thời gian thực hiện nhiệm vụ (%(start)s – %(end)s).")
            % {
                "date": f"{date:%d/%m/%Y}",
                "start": f"{task.start:%d/%m/%Y}",
                "end": f"{task.end:%d/%m/%Y}",
            }
        )
    if deliverable is not None and deliverable.task_id != task.pk:
        errors.setdefault("deliverable", []).append(
            ValidationError(
                _("Sản phẩm %(code)s không thuộc nhiệm vụ %(number)s.")
                % {"code": deliverable.code, "number": task.number},
                code=ProgressErrorCode.DELIVERABLE_OF_OTHER_TASK,
            )
        )
    if errors:
        raise ValidationError(errors)
    return number, warnings


def module_records(deliverable: Deliverable) -> QuerySet[Activity]:
    """The records a module (fairs, surveys, media, green points…) keeps for `deliverable`.
    When there is any, they are the deliverable's figure: hand-entered work on it must name
    the record it reports instead of adding a second count."""
    return Activity.objects.filter(
        deliverable=deliverable, source_type__isnull=False, status=Activity.Status.APPROVED
    ).order_by("date", "pk")


def check_module_record(deliverable: Deliverable | None, record: Activity | None) -> None:
    """Refuses a hand-entered activity that would count an output a module already counts,
    naming the module's records so the officer can pick the one they report."""
    if deliverable is None:
        if record is not None:
            raise ValidationError(
                _("Chỉ chọn bản ghi mô-đun khi hoạt động thuộc một sản phẩm đầu ra."),
                code=ProgressErrorCode.NOT_A_MODULE_RECORD,
            )
        return
    records = module_records(deliverable)
    if record is not None:
        if not records.filter(pk=record.pk).exists():
            raise ValidationError(
                _("“%(record)s” không phải bản ghi mô-đun của sản phẩm %(code)s.")
                % {"record": record.title, "code": deliverable.display_code},
                code=ProgressErrorCode.NOT_A_MODULE_RECORD,
            )
        return
    names = [f"“{r.title}” ({r.date:%d/%m/%Y})" for r in records[:3]]
    if names:
        raise ValidationError(
            _(
                "Sản phẩm %(code)s được tính từ bản ghi của mô-đun: %(records)s. Hãy chọn bản "
                "ghi mà hoạt động này báo cáo, để một kết quả chỉ được tính một lần."
            )
            % {"code": deliverable.display_code, "records": "; ".join(names)},
            code=ProgressErrorCode.COUNTED_BY_MODULE,
        )


# Evidence follows the house policy of `core.files`: the content decides the kind, and the
# name's extension must match it (a PDF named .html is refused).
EVIDENCE_KINDS = IMAGES | DOCUMENTS


# what core.files says went wrong → the progress app's stable code for it
EVIDENCE_CODES = {"file_too_large": ProgressErrorCode.EVIDENCE_TOO_LARGE}


def check_evidence_files(files: list[UploadedFile]) -> list[str]:
    """The kind of each file (PDF, PNG/JPEG/WebP, DOCX/XLSX/PPTX up to
    `SCPVN_EVIDENCE_MAX_BYTES`, checked by content), or one refusal naming every file that
    is not acceptable."""
    kinds, problems = [], []
    for upload in files:
        try:
            kinds.append(validate_upload(upload, EVIDENCE_KINDS, settings.SCPVN_EVIDENCE_MAX_BYTES))
        except ValidationError as exc:
            problems += [
                ValidationError(
                    f"{upload.name}: {' '.join(error)}",
                    code=EVIDENCE_CODES.get(error.code, ProgressErrorCode.EVIDENCE_TYPE),
                )
                for error in exc.error_list
            ]
    if problems:
        raise ValidationError({"files": problems})
    return kinds


# --- recording and review ----------------------------------------------------------------


@transaction.atomic
def save_activity(
    user: User,
    activity: Activity | None,
    *,
    task: Task,
    deliverable: Deliverable | None,
    date: dt.date,
    quantity: object,
    title: str,
    description: str = "",
    district: District | None = None,
    unit: Unit | None = None,
    module_record: Activity | None = None,
    duty: Duty | None = None,
    version: int | None = None,
    files: list[UploadedFile] = (),
    links: list[str] = (),
) -> tuple[Activity, list[str]]:
    """Creates or edits a draft (or returned) activity with its evidence; returns it and the
    warnings to show. Everything is checked before anything is written, so a refusal leaves
    the database and the storage as they were."""
    if activity is not None:
        if activity.status == Activity.Status.APPROVED:
            raise ValidationError(
                _("Hoạt động đã được duyệt, không thể sửa."),
                code=ProgressErrorCode.ALREADY_APPROVED,
            )
        if not can_edit(user, activity):
            raise Denied(_("Bạn không được sửa hoạt động này."), ProgressErrorCode.EDIT_DENIED)
        if version is not None and version != activity.version:
            raise _stale(activity)
    check(
        user,
        RECORD,
        task,
        _("Đơn vị của bạn không tham gia nhiệm vụ này."),
        ProgressErrorCode.TASK_OUT_OF_SCOPE,
    )
    number, warnings = check_activity(
        task=task, deliverable=deliverable, date=date, quantity=quantity
    )
    check_module_record(deliverable, module_record)
    if duty is not None and duty.plan_id != task.plan_id:
        raise ValidationError(
            _("Nhiệm vụ của cơ quan “%(duty)s” không thuộc kế hoạch của nhiệm vụ %(number)s.")
            % {"duty": duty.text[:80], "number": task.number},
            code=ProgressErrorCode.DUTY_OF_ANOTHER_PLAN,
        )
    kinds = check_evidence_files(files)
    agency = acting_agency(user) or task.lead
    if user.role == Role.DISTRICT_OFFICER:
        district = user.district
    if user.role == Role.COMMUNE_OFFICER:  # their own commune's work, on their commune
        district, unit = None, user.unit
    placed = Activity(district=district, unit=unit)
    place_record(placed, date)  # a unit not valid on the date is refused before any write
    changes = {
        "task": task,
        "deliverable": deliverable,
        "date": date,
        "quantity": number,
        "title": title,
        "description": description,
        "district": district,
        "unit": placed.unit,
        "module_record": module_record,
        "duty": duty,
    }
    if activity is None:
        activity = Activity.objects.create(created_by=user, agency=agency, **changes)
    else:
        if activity.status == Activity.Status.RETURNED:
            changes["status"] = Activity.Status.DRAFT
        try:  # the version is compared on the locked row: two saves cannot both pass
            activity = save_if_unchanged(
                activity, activity.version if version is None else version, changes
            )
        except EditConflict as conflict:
            raise _stale(conflict.current) from conflict
    for upload, kind in zip(files, kinds, strict=True):
        Evidence.objects.create(
            activity=activity,
            file=upload,
            kind=kind,
            size=upload.size,
            name=upload.name[:255],
            added_by=user,
        )
    for link in links:
        Evidence.objects.create(activity=activity, url=link, name=link[:255], added_by=user)
    return activity, warnings


@transaction.atomic
def submit_activity(user: User, activity: Activity) -> Activity:
    """The author sends a draft for review; from now on it can only be approved or returned."""
    if not can_edit(user, activity):
        raise Denied(_("Bạn không được gửi hoạt động này."), ProgressErrorCode.SUBMIT_DENIED)
    submitted = review.submit(activity, by=user)
    for reviewer in User.objects.filter(role=Role.REVIEWER, is_active=True):
        notify(
            reviewer,
            f"submitted:{submitted.pk}:{submitted.version}",
            _("Hoạt động chờ duyệt: %(title)s") % {"title": submitted.title},
            submitted.get_absolute_url(),
        )
    return submitted


@transaction.atomic
def approve_activity(user: User, activity: Activity, comment: str = "") -> Activity:
    """Approved work counts toward its deliverable from the moment of approval on."""
    check(
        user,
        REVIEW,
        activity,
        _("Chỉ lãnh đạo hoặc quản trị được duyệt hoạt động."),
        ProgressErrorCode.REVIEW_DENIED,
    )
    now = timezone.now()
    approved = review.approve(activity, by=user, comment=comment, at=now, approved_at=now)
    _tell_author(approved, _("Hoạt động đã được duyệt: %(title)s"))
    return approved


@transaction.atomic
def return_activity(user: User, activity: Activity, comment: str) -> Activity:
    """A reviewer sends work back with the reason, so the author knows what to fix."""
    check(
        user,
        REVIEW,
        activity,
        _("Chỉ lãnh đạo hoặc quản trị được trả lại hoạt động."),
        ProgressErrorCode.REVIEW_DENIED,
    )
    returned = review.send_back(activity, by=user, comment=comment)
    _tell_author(returned, _("Hoạt động bị trả lại: %(title)s"))
    return returned


@transaction.atomic
def void_activity(user: User, activity: Activity, reason: str) -> Activity:
    """A reviewer takes out of the count an approved hand-entered activity that counts an
    output already counted (see `overlaps.find_overlaps`). The activity stays, with who
    voided it, when and why, and its history."""
    check_role(
        user,
        REVIEWER_ROLES,
        _("Chỉ lãnh đạo hoặc quản trị được hủy hoạt động trùng."),
        ProgressErrorCode.REVIEW_DENIED,
    )
    if not reason.strip():
        raise ValidationError(
            _("Hãy ghi lý do hủy (ví dụ: trùng với bản ghi nào)."),
            code=ProgressErrorCode.VOID_REASON_REQUIRED,
        )
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.status != Activity.Status.APPROVED or locked.source_id:
        raise ValidationError(
            _("Chỉ hủy được hoạt động nhập tay đã duyệt; “%(title)s” không phải.")
            % {"title": locked.title},
            code=ProgressErrorCode.NOT_VOIDABLE,
        )
    locked.status = Activity.Status.VOID
    locked.void_reason, locked.voided_by, locked.voided_at = reason.strip(), user, timezone.now()
    locked.version += 1
    locked.save()
    _tell_author(locked, _("Hoạt động bị hủy vì trùng: %(title)s"))
    return locked


def _tell_author(activity: Activity, template: str) -> None:
    author = activity.submitted_by or activity.created_by
    if author is not None:
        notify(
            author,
            f"{activity.status}:{activity.pk}:{activity.version}",
            template % {"title": activity.title},
            activity.get_absolute_url(),
        )


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
    unit=None,
) -> Activity:
    """Create or update the approved activity that `source` (a fair, a training, a media
    item…) contributes to `deliverable`. One activity per source and deliverable, so saving
    the source again updates its count instead of adding another. It counts from the moment
    it is recorded (`approved_at`), like any approved activity."""
    source_type = ContentType.objects.get_for_model(source)
    existing = Activity.objects.filter(
        source_type=source_type, source_id=source.pk, deliverable=deliverable
    ).first()
    activity, _created = Activity.objects.update_or_create(
        source_type=source_type,
        source_id=source.pk,
        deliverable=deliverable,
        defaults={
            "task": deliverable.task,
            "quantity": quantity,
            "date": date,
            "agency": agency,
            "district": district,
            "unit": unit,
            "title": title[:255],
            "description": description,
            "status": Activity.Status.APPROVED,
            "approved_at": existing.approved_at if existing else timezone.now(),
            "version": existing.version + 1 if existing else 1,
        },
    )
    return activity


def withdraw_module_activity(*, source: models.Model) -> int:
    """Remove what `source` contributed (it was cancelled or deleted); returns how many."""
    deleted, _count = Activity.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).delete()
    return deleted
