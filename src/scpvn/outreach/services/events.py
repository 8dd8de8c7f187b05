"""Training, workshop and conference rules: registration, the sign-in sheet import, and
counting a held event toward its deliverable."""

from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from scpvn.orgs.access import user_has_role
from scpvn.orgs.officers import require_officer
from scpvn.orgs.roles import ALL_ROLES
from scpvn.outreach.models import Event, Feedback, Material, Registration
from scpvn.progress.services import record_module_activity, withdraw_module_activity

# Sign-in sheet columns, matched on the header row (case and accents as printed).
SHEET_COLUMNS = {
    "họ và tên": "full_name",
    "đơn vị": "organization",
    "email": "email",
    "điện thoại": "phone",
}


@transaction.atomic
def create_event(user, event: Event) -> Event:
    require_officer(user, event.agency_id)
    event.full_clean()
    event.save()
    return event


def register(
    user, event: Event, *, full_name: str, email: str, organization: str = "", phone: str = ""
) -> Registration:
    require_officer(user, event.agency_id)
    if event.status != Event.Status.SCHEDULED:
        raise ValidationError(_("Sự kiện không còn nhận đăng ký."))
    if event.capacity and event.registrations.count() >= event.capacity:
        raise ValidationError(_("Sự kiện đã đủ %(n)s chỗ.") % {"n": event.capacity})
    email = email.strip().lower()
    if event.registrations.filter(email=email).exists():
        raise ValidationError(_("Email %(e)s đã đăng ký sự kiện này.") % {"e": email})
    return Registration.objects.create(
        event=event,
        full_name=full_name.strip(),
        email=email,
        organization=organization,
        phone=phone,
    )


@dataclass(frozen=True)
class SignInResult:
    marked: int  # registered people found on the sheet
    added: int  # walk-ins who signed without registering


def import_sign_in_sheet(user, event: Event, file: BinaryIO) -> SignInResult:
    """Mark attendance from the signed sheet (XLSX with a header row: Họ và tên, Đơn vị,
    Email, Điện thoại). All or nothing: any bad row rejects the whole sheet, and the error
    names each row and column so the officer can fix the file."""
    require_officer(user, event.agency_id)
    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a file that is not XLSX
        raise ValidationError(_("Tệp không phải bảng tính XLSX hợp lệ.")) from exc
    rows = sheet.iter_rows(values_only=True)
    header = [str(v or "").strip().lower() for v in next(rows, ())]
    columns = {SHEET_COLUMNS[h]: i for i, h in enumerate(header) if h in SHEET_COLUMNS}
    missing = {"full_name", "email"} - columns.keys()
    if missing:
        raise ValidationError(_("Thiếu cột bắt buộc ở dòng tiêu đề: Họ và tên, Email."))
    errors: list[str] = []
    people: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows, start=2):
        values = {
            k: str(row[i] if i < len(row) and row[i] is not None else "").strip()
            for k, i in columns.items()
        }
        if not any(values.values()):
            continue
        where = _("dòng %(r)s, cột %(c)s")
        if not values["full_name"]:
            errors.append(
                f"{where % {'r': number, 'c': get_column_letter(columns['full_name'] + 1)}}: "
                + _("thiếu họ tên")
            )
        email = values["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                f"{where % {'r': number, 'c': get_column_letter(columns['email'] + 1)}}: "
                + _("email không hợp lệ “%(e)s”") % {"e": values["email"]}
            )
            continue
        if email in people:
            errors.append(
                f"{where % {'r': number, 'c': get_column_letter(columns['email'] + 1)}}: "
                + _("email trùng với dòng trên")
            )
        people[email] = values | {"email": email}
    if errors:
        raise ValidationError(errors)
    if not people:
        raise ValidationError(_("Bảng điểm danh không có dòng nào."))
    with transaction.atomic():
        existing = {r.email: r for r in event.registrations.all()}
        marked = added = 0
        for email, values in people.items():
            if email in existing:
                registration = existing[email]
                registration.attended = True
                registration.save(update_fields=["attended"])
                marked += 1
            else:
                Registration.objects.create(event=event, attended=True, **values)
                added += 1
    return SignInResult(marked=marked, added=added)


@transaction.atomic
def mark_held(user, event: Event) -> Event:
    """A held event is one approved activity toward its deliverable."""
    require_officer(user, event.agency_id)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("Sự kiện đã hủy."))
    event.status = Event.Status.HELD
    event.save(update_fields=["status"])
    if event.deliverable_id:
        attended = event.registrations.filter(attended=True).count()
        record_module_activity(
            source=event,
            deliverable=event.deliverable,
            quantity=1,
            date=event.date,
            agency=event.agency,
            district=event.district,
            title=f"{event.get_kind_display()}: {event.title}",
            description=_("%(n)s người tham dự") % {"n": attended},
        )
    return event


def cancel_event(user, event: Event) -> Event:
    require_officer(user, event.agency_id)
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])
    withdraw_module_activity(source=event)
    return event


def add_material(user, event: Event, **fields) -> Material:
    """Slides, handouts or recordings attached to the event by its agency's officer."""
    require_officer(user, event.agency_id)
    return Material.objects.create(event=event, **fields)


def give_feedback(
    user, event: Event, *, rating: int, useful: str = "", suggestions: str = ""
) -> Feedback:
    if not user_has_role(user, ALL_ROLES):
        raise PermissionDenied
    if event.status != Event.Status.HELD:
        raise ValidationError(_("Chỉ nhận phiếu đánh giá sau khi sự kiện đã diễn ra."))
    if not 1 <= rating <= 5:
        raise ValidationError(_("Mức độ hài lòng từ 1 đến 5."))
    return Feedback.objects.create(
        event=event, rating=rating, useful=useful, suggestions=suggestions
    )
