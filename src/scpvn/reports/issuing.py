"""Issuing a report: the number from the agency's outgoing-document register, the two
signatures, the register line; and cancelling an issue. Pages, API and tests call these.

Everything that can refuse (permission, status, keys, PINs, certificates) is checked
before the register is touched; the number is taken, the document rendered and signed and
the line written in one transaction with the register's counter row locked, so a failure
(an unreachable TSA …) stores nothing, and two issues at once get consecutive numbers.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scpvn.core.pdf import render_pdf
from scpvn.core.review import transition
from scpvn.orgs.access import user_has_role
from scpvn.orgs.models import User
from scpvn.orgs.roles import Role
from scpvn.reports import signing
from scpvn.reports.errors import DocumentError
from scpvn.reports.keys import KeySource, agency_key
from scpvn.reports.models import IssuedDocument, OutgoingRegister, Report
from scpvn.reports.services import Issue, document, symbol

PERSON_ANCHOR = "chu-ky-nguoi-ky"  # the id of the person's signature box in the template


def can_issue(user: User, report: Report) -> bool:
    """Those who approve reports sign them: a city administrator, or a reviewer of the
    agency the report is from."""
    if user_has_role(user, {Role.CITY_ADMIN}):
        return True
    agency = report.duty.by
    return (
        user_has_role(user, {Role.REVIEWER}) and agency is not None and user.agency_id == agency.pk
    )


def register_visible_to(user: User) -> QuerySet[IssuedDocument]:
    """Register lines a user may read: all for city administrators and reviewers, their own
    agency's for other staff."""
    lines = IssuedDocument.objects.select_related("register__agency", "report", "issued_by")
    if user_has_role(user, {Role.CITY_ADMIN, Role.REVIEWER}):
        return lines
    return lines.filter(register__agency_id=user.agency_id) if user.agency_id else lines.none()


def _take_number(register: OutgoingRegister) -> int:
    """The next number of a locked register; refuses if the counter lags behind the lines
    (a register restored from an old copy), rather than giving a number twice."""
    number = register.last_number + 1
    if register.entries.filter(number=number).exists():
        raise ValidationError(
            _("Số %(n)s của sổ văn bản đi %(r)s đã được cấp; sổ cần được kiểm tra.")
            % {"n": number, "r": register},
            code=DocumentError.NUMBER_USED,
        )
    return number


def issue_report(user: User, report: Report, person: KeySource) -> IssuedDocument:
    """Gives an approved report the next number of its agency's register for this year,
    renders it as PDF/A-2b, signs it with the person's key and then the agency's, and
    records the line. The report can no longer be edited."""
    if not can_issue(user, report):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị chủ trì hoặc quản trị được ký phát hành."))
    if report.status != Report.Status.APPROVED:
        raise ValidationError(
            _("Chỉ báo cáo đã duyệt mới được ký phát hành."), code=DocumentError.NOT_APPROVED
        )
    agency = report.duty.by
    if agency is None:
        raise ValidationError(
            _("Báo cáo không có cơ quan ban hành."), code=DocumentError.NO_AGENCY_KEY
        )
    with person.open() as person_signer, agency_key(agency.code).open() as agency_signer:
        signing.check_certificate(person_signer)
        signing.check_certificate(agency_signer)
        return _issue(user, report, person_signer, agency_signer)


@transaction.atomic
def _issue(user: User, report: Report, person_signer, agency_signer) -> IssuedDocument:
    agency = report.duty.by
    now = timezone.now()
    day = timezone.localdate(now)
    register, _created = OutgoingRegister.objects.get_or_create(agency=agency, year=day.year)
    register = OutgoingRegister.objects.select_for_update().get(pk=register.pk)
    number = _take_number(register)
    report = transition(report, {Report.Status.APPROVED}, status=Report.Status.ISSUED)
    issue = Issue(
        number=number,
        day=day,
        signed_at=now,
        person=signing.describe(person_signer.signing_cert),
        agency=signing.describe(agency_signer.signing_cert),
    )
    with translation.override("vi"):
        doc = document(report, issue)
        pdf, anchors = render_pdf(
            render_to_string("reports/document.html", {"doc": doc}), archive=True
        )
    anchor = anchors[PERSON_ANCHOR]
    person_place, agency_place = signing.placements(anchor.page, anchor.x, anchor.y)
    location = report.plan.place or ""
    with translation.override("vi"):
        signed = signing.sign_pdf(
            pdf, person_place, person_signer, reason=_("Ký ban hành"), location=location
        )
        signed = signing.sign_pdf(
            signed, agency_place, agency_signer, reason=_("Cơ quan ban hành"), location=location
        )
    entry = IssuedDocument.objects.create(
        register=register,
        number=number,
        symbol=symbol(report),
        issued_on=day,
        issued_at=now,
        title=doc["subtitle"][:500],
        report=report,
        issued_by=user,
        person_signer=issue.person,
        agency_signer=issue.agency,
        pdf=signed,
        sha256=hashlib.sha256(signed).hexdigest(),
    )
    register.last_number = number
    register.save(update_fields=["last_number"])
    return entry


@transaction.atomic
def cancel_issue(user: User, entry: IssuedDocument, reason: str) -> IssuedDocument:
    """Cancels an issue: its line, number and signed file stay in the register with the
    reason; the report goes back to its agency (returned) so that a corrected version can
    be approved and issued again, under a new number."""
    report = entry.report
    if report is None or not can_issue(user, report):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị chủ trì hoặc quản trị được hủy văn bản."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Hãy ghi lý do hủy.")}, code=DocumentError.REASON_REQUIRED
        )
    locked = IssuedDocument.objects.select_for_update().get(pk=entry.pk)
    if locked.status == IssuedDocument.Status.CANCELLED:
        raise ValidationError(
            _("Văn bản %(c)s đã bị hủy trước đó.") % {"c": locked.code},
            code=DocumentError.ALREADY_CANCELLED,
        )
    locked.status = IssuedDocument.Status.CANCELLED
    locked.cancel_reason = reason.strip()
    locked.cancelled_by = user
    locked.cancelled_at = timezone.now()
    locked.save()
    transition(
        report,
        {Report.Status.ISSUED},
        status=Report.Status.RETURNED,
        review_comment=_("Văn bản số %(c)s đã hủy: %(r)s")
        % {"c": locked.code, "r": reason.strip()},
        snapshot=None,
    )
    return locked
