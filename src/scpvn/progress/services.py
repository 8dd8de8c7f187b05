"""Progress rules: who records and reviews which activities, what a valid activity is, the
evidence accepted, and the notifications people receive. Views, the API, the demo and
background jobs all go through these functions, so a rule is enforced once.

Modules that run the work themselves (fairs, trainings, media) record it with
`record_module_activity`; those activities are approved on creation.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from scpvn.core.files import DOCUMENTS, IMAGES, validate_upload
from scpvn.geo.models import District
from scpvn.orgs.access import is_city_wide, user_has_role
from scpvn.orgs.models import Agency, User
from scpvn.orgs.roles import Role
from scpvn.plans.models import Deliverable, Task
from scpvn.progress.models import Activity, Evidence, Notification

ReviewedModel = TypeVar("ReviewedModel", bound=models.Model)


class StaleVersion(ValidationError):
    """The record was saved by someone else after the caller read it: a page asks to reload,
    the API answers 409 Conflict."""


RECORDER_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER, Role.DISTRICT_OFFICER})
REVIEWER_ROLES = frozenset({Role.CITY_ADMIN, Role.REVIEWER})


def today() -> dt.date:
    """The date the app treats as today: `SCPVN_TODAY` when set (a demo or a training looks
    at the 2020 plan as it stood then), else the real local date."""
    if settings.SCPVN_TODAY:
        return dt.date.fromisoformat(settings.SCPVN_TODAY)
    return timezone.localdate()


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in the project's time zone: what was approved by then."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


# --- scope -------------------------------------------------------------------------------


def acting_agency(user: User) -> Agency | None:
    """The agency a user records work for: their own, or their district's People's
    Committee for a district officer."""
    if user.role == Role.DISTRICT_OFFICER and user.district_id:
        return Agency.objects.filter(code=f"UBND-{user.district.code}").first()
    return user.agency


def tasks_of_agency(agency: Agency) -> Q:
    """Tasks an agency takes part in, as lead or partner. A district's People's Committee
    also takes part where the plan names "the districts" as a whole (an agency of kind
    district with no single district, like UBNDQH)."""
    condition = Q(lead=agency) | Q(partners=agency)
    if agency.kind == Agency.Kind.DISTRICT:
        all_districts = Agency.objects.filter(kind=Agency.Kind.DISTRICT, district__isnull=True)
        condition |= Q(lead__in=all_districts) | Q(partners__in=all_districts)
    return condition


def tasks_recordable_by(user: User) -> QuerySet[Task]:
    """Tasks a user may record activities for: those their agency (a district officer's:
    their district's People's Committee) takes part in; a city administrator every task.
    Reviewers review; they do not record."""
    tasks = Task.objects.select_related("plan", "lead").order_by("plan", "number")
    if not user_has_role(user, RECORDER_ROLES):
        return tasks.none()
    if user.has_role(Role.CITY_ADMIN):
        return tasks
    agency = acting_agency(user)
    if agency is None:
        return tasks.none()
    return tasks.filter(tasks_of_agency(agency)).distinct()


def activities_visible_to(user: User) -> QuerySet[Activity]:
    """City-wide roles see every activity; an agency officer their agency's and those on
    tasks their agency leads (the lead follows its partners' work); a district officer their
    district's."""
    activities = Activity.objects.all()
    if is_city_wide(user):
        return activities
    if user_has_role(user, {Role.DISTRICT_OFFICER}):
        agency = acting_agency(user)
        return activities.filter(Q(district=user.district_id) | Q(agency=agency))
    if user_has_role(user, {Role.AGENCY_OFFICER}) and user.agency_id:
        return activities.filter(Q(agency=user.agency_id) | Q(task__lead=user.agency_id))
    return activities.none()


def can_edit(user: User, activity: Activity) -> bool:
    """The author's agency edits its own drafts and returned activities; never approved ones."""
    if not activity.editable or not user_has_role(user, RECORDER_ROLES):
        return False
    return user.has_role(Role.CITY_ADMIN) or activity.agency_id == getattr(
        acting_agency(user), "pk", None
    )


def can_review(user: User, activity: Activity) -> bool:
    return activity.status == Activity.Status.SUBMITTED and user_has_role(user, REVIEWER_ROLES)


# --- validation --------------------------------------------------------------------------


def parse_quantity(value: object) -> Decimal:
    """A non-negative number; the plan counts articles, classes, booths — never less than 0."""
    try:
        quantity = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"quantity": _("Số lượng phải là một số (ví dụ 3 hoặc 2,5).")}
        ) from None
    if not quantity.is_finite():
        raise ValidationError({"quantity": _("Số lượng phải là một số (ví dụ 3 hoặc 2,5).")})
    if quantity < 0:
        raise ValidationError({"quantity": _("Số lượng không được âm.")})
    return quantity


def check_activity(
    *, task: Task, deliverable: Deliverable | None, date: dt.date, quantity: object
) -> tuple[Decimal, list[str]]:
    """Refuses what cannot be true (a date outside the plan, a deliverable of another task, a
    bad quantity) and returns warnings for what is unusual but real (work done before or
    after the task's window still happened, and the reviewer should see it)."""
    errors: dict[str, list[str]] = {}
    warnings: list[str] = []
    try:
        number = parse_quantity(quantity)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        number = Decimal(0)
    plan = task.plan
    if not plan.period_start <= date <= plan.period_end:
        errors.setdefault("date", []).append(
            _("Ngày %(date)s nằm ngoài thời gian của kế hoạch (%(start)s – %(end)s).")
            % {
                "date": f"{date:%d/%m/%Y}",
                "start": f"{plan.period_start:%d/%m/%Y}",
                "end": f"{plan.period_end:%d/%m/%Y}",
            }
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
            _("Sản phẩm %(code)s không thuộc nhiệm vụ %(number)s.")
            % {"code": deliverable.code, "number": task.number}
        )
    if errors:
        raise ValidationError(errors)
    return number, warnings


# Evidence follows the house policy of `core.files`: the content decides the kind, and the
# name's extension must match it (a PDF named .html is refused).
EVIDENCE_KINDS = IMAGES | DOCUMENTS


def check_evidence_files(files: list[UploadedFile]) -> list[str]:
    """The kind of each file, or one refusal naming every file that is not acceptable."""
    kinds, problems = [], []
    for upload in files:
        try:
            kinds.append(validate_upload(upload, EVIDENCE_KINDS, settings.SCPVN_EVIDENCE_MAX_BYTES))
        except ValidationError as exc:
            problems += [f"{upload.name}: {message}" for message in exc.messages]
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
    version: int | None = None,
    files: list[UploadedFile] = (),
    links: list[str] = (),
) -> tuple[Activity, list[str]]:
    """Creates or edits a draft (or returned) activity with its evidence; returns it and the
    warnings to show. Everything is checked before anything is written, so a refusal leaves
    the database and the storage as they were."""
    if activity is not None:
        if activity.status == Activity.Status.APPROVED:
            raise ValidationError(_("Hoạt động đã được duyệt, không thể sửa."))
        if not can_edit(user, activity):
            raise PermissionDenied(_("Bạn không được sửa hoạt động này."))
        if version is not None and version != activity.version:
            raise StaleVersion(
                _(
                    "Hoạt động vừa được người khác sửa (phiên bản %(current)s). Hãy tải lại "
                    "trang để xem thay đổi rồi nhập lại."
                )
                % {"current": activity.version}
            )
    if not tasks_recordable_by(user).filter(pk=task.pk).exists():
        raise PermissionDenied(_("Đơn vị của bạn không tham gia nhiệm vụ này."))
    number, warnings = check_activity(
        task=task, deliverable=deliverable, date=date, quantity=quantity
    )
    kinds = check_evidence_files(files)
    agency = acting_agency(user) or task.lead
    if user.role == Role.DISTRICT_OFFICER:
        district = user.district
    if activity is None:
        activity = Activity(created_by=user, agency=agency)
    else:
        activity.version += 1
        if activity.status == Activity.Status.RETURNED:
            activity.status = Activity.Status.DRAFT
    activity.task, activity.deliverable, activity.date = task, deliverable, date
    activity.quantity, activity.title, activity.description = number, title, description
    activity.district = district
    activity.save()
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


def transition(obj: ReviewedModel, allowed_from: set[str], **changes) -> ReviewedModel:
    """Moves a reviewed record (an activity, a report: anything with `status` and
    `version`) on, refusing if someone else moved it first; the row is locked meanwhile.
    Call inside a transaction."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if locked.status not in allowed_from:
        raise ValidationError(
            _("Không thể thực hiện: %(what)s đang ở trạng thái “%(status)s”.")
            % {"what": locked._meta.verbose_name, "status": locked.get_status_display()}
        )
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def submit_activity(user: User, activity: Activity) -> Activity:
    """The author sends a draft for review; from now on it can only be approved or returned."""
    if not can_edit(user, activity):
        raise PermissionDenied(_("Bạn không được gửi hoạt động này."))
    submitted = transition(
        activity,
        {Activity.Status.DRAFT, Activity.Status.RETURNED},
        status=Activity.Status.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
    )
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
    if not user_has_role(user, REVIEWER_ROLES):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc quản trị được duyệt hoạt động."))
    now = timezone.now()
    approved = transition(
        activity,
        {Activity.Status.SUBMITTED},
        status=Activity.Status.APPROVED,
        reviewed_by=user,
        reviewed_at=now,
        approved_at=now,
        review_comment=comment,
    )
    _tell_author(approved, _("Hoạt động đã được duyệt: %(title)s"))
    return approved


@transaction.atomic
def return_activity(user: User, activity: Activity, comment: str) -> Activity:
    """A reviewer sends work back with the reason, so the author knows what to fix."""
    if not user_has_role(user, REVIEWER_ROLES):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc quản trị được trả lại hoạt động."))
    if not comment.strip():
        raise ValidationError({"comment": _("Hãy ghi lý do trả lại.")})
    returned = transition(
        activity,
        {Activity.Status.SUBMITTED},
        status=Activity.Status.RETURNED,
        reviewed_by=user,
        reviewed_at=timezone.now(),
        review_comment=comment.strip(),
    )
    _tell_author(returned, _("Hoạt động bị trả lại: %(title)s"))
    return returned


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


# --- notifications -----------------------------------------------------------------------


def notify(user: User, key: str, message: str, url: str = "") -> bool:
    """Tells `user` once per `key`, in the app and by e-mail when they have an address;
    returns False when they had been told already."""
    try:
        with transaction.atomic():
            Notification.objects.create(user=user, key=key[:200], message=message, url=url)
    except IntegrityError:
        return False
    if user.email:
        link = f"{settings.SCPVN_PUBLIC_URL.rstrip('/')}{url}" if url else ""
        send_mail(
            subject=f"[scpvn] {message[:120]}",
            message=f"{message}\n\n{link}".strip(),
            from_email=None,
            recipient_list=[user.email],
            fail_silently=True,  # the in-app notification stands; mail is best effort
        )
    return True


def mark_read(user: User, pk: int | None = None) -> int:
    """Marks the user's unread notifications (all, or the one `pk`) read; returns how many.
    Only their own: a notification is private to the person it was sent to."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
