"""Issuing a report (a periodic report or an inspection report): the number from the agency's
outgoing-document register, the two signatures, the register line; and cancelling an issue.
Pages, API and tests call these.

Everything that can refuse (permission, status, keys, PINs, certificates) is checked
before the register is touched; the number is taken, the document rendered and signed and
the line written in one transaction with the register's counter row locked, so a failure
(an unreachable TSA …) stores nothing, and two issues at once get consecutive numbers.
"""

import hashlib
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scpvn.core.pdf import render_pdf
from scpvn.core.review import transition
from scpvn.orgs.models import Agency, User
from scpvn.orgs.policy import allows, restrict
from scpvn.progress.services import record_module_activity, withdraw_module_activity
from scpvn.reports import export_pdf, signing
from scpvn.reports.errors import DocumentError
from scpvn.reports.inspections import inspection_document, inspection_symbol
from scpvn.reports.keys import KeySource, agency_key
from scpvn.reports.models import InspectionReport, IssuedDocument, OutgoingRegister, Report
from scpvn.reports.scopes import ISSUE
from scpvn.reports.services import Issue, document, symbol

PERSON_ANCHOR = "chu-ky-nguoi-ky"  # the id of the person's signature box in the template


def can_issue(user: User, report: Report) -> bool:
    """Those who approve reports sign them (rule in reports/scopes.py)."""
    return allows(user, ISSUE, report)


def register_visible_to(user: User) -> QuerySet[IssuedDocument]:
    """Register lines a user may read (rule in reports/scopes.py)."""
    lines = IssuedDocument.objects.select_related("register__agency", "report", "issued_by")
    return restrict(lines, user)


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
    report = transition(report, {Report.Status.APPROVED}, status=Report.Status.ISSUED)

    def html(issue: Issue) -> tuple[str, str]:
        doc = document(report, issue)
        return doc["subtitle"], render_to_string("reports/document.html", {"doc": doc})

    return _sign_into_register(
        user,
        agency=report.duty.by,
        symbol=symbol(report),
        location=report.plan.place or "",
        html=html,
        signers=(person_signer, agency_signer),
        report=report,
    )


def _sign_into_register(
    user: User,
    *,
    agency: Agency,
    symbol: str,
    location: str,
    html: Callable[[Issue], tuple[str, str]],
    signers: tuple,
    **document_of,
) -> IssuedDocument:
    """The part every issued document shares, inside the caller's transaction: the next
    number of the agency's register for this year (its row locked), the document rendered
    with it as PDF/A-2b (`html` gives its title and HTML, with the person's signature box
    `PERSON_ANCHOR`), signed by the person and then the agency, and the register line that
    `document_of` links to what was issued."""
    person_signer, agency_signer = signers
    now = timezone.now()
    day = timezone.localdate(now)
    register, _created = OutgoingRegister.objects.get_or_create(agency=agency, year=day.year)
    register = OutgoingRegister.objects.select_for_update().get(pk=register.pk)
    number = _take_number(register)
    issue = Issue(
        number=number,
        day=day,
        signed_at=now,
        person=signing.describe(person_signer.signing_cert),
        agency=signing.describe(agency_signer.signing_cert),
    )
    with translation.override("vi"):
        title, page = html(issue)
        pdf, anchors = render_pdf(page, archive=True)
    anchor = anchors[PERSON_ANCHOR]
    person_place, agency_place = signing.placements(anchor.page, anchor.x, anchor.y)
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
        symbol=symbol,
        issued_on=day,
        issued_at=now,
        title=title[:500],
        issued_by=user,
        person_signer=issue.person,
        agency_signer=issue.agency,
        pdf=signed,
        sha256=hashlib.sha256(signed).hexdigest(),
        **document_of,
    )
    register.last_number = number
    register.save(update_fields=["last_number"])
    return entry


def can_issue_inspections(user: User, report: InspectionReport) -> bool:
    """Those of its agency who sign, and city administrators (rule in reports/scopes.py)."""
    return allows(user, ISSUE, report)


def issue_inspection_report(
    user: User, report: InspectionReport, person: KeySource
) -> IssuedDocument:
    """Numbers, renders and signs an inspection report as `issue_report` does a periodic
    one; the issued report counts toward its deliverable (10.2). Each issue is a version of
    its own: the figures are those of the responses when it is signed."""
    if not can_issue_inspections(user, report):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị chủ trì hoặc quản trị được ký phát hành."))
    with person.open() as person_signer, agency_key(report.agency.code).open() as agency_signer:
        signing.check_certificate(person_signer)
        signing.check_certificate(agency_signer)
        return _issue_inspections(user, report, person_signer, agency_signer)


@transaction.atomic
def _issue_inspections(
    user: User, report: InspectionReport, person_signer, agency_signer
) -> IssuedDocument:
    def html(issue: Issue) -> tuple[str, str]:
        doc = inspection_document(report, issue)
        return doc["subtitle"], export_pdf.inspection_html(doc)

    entry = _sign_into_register(
        user,
        agency=report.agency,
        symbol=inspection_symbol(report),
        location=report.plan.place or "",
        html=html,
        signers=(person_signer, agency_signer),
        inspection_report=report,
    )
    record_module_activity(
        source=entry,
        deliverable=report.deliverable,
        quantity=1,
        date=entry.issued_on,
        agency=report.agency,
        title=_("Báo cáo kết quả kiểm tra số %(c)s") % {"c": entry.code},
    )
    return entry


@transaction.atomic
def cancel_issue(user: User, entry: IssuedDocument, reason: str) -> IssuedDocument:
    """Cancels an issue: its line, number and signed file stay in the register with the
    reason; the report goes back to its agency (returned) so that a corrected version can
    be approved and issued again, under a new number."""
    report = entry.report
    if entry.inspection_report is not None:
        allowed = can_issue_inspections(user, entry.inspection_report)
    else:
        allowed = report is not None and can_issue(user, report)
    if not allowed:
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
    if report is None:  # an inspection report: its cancelled issue no longer counts
        withdraw_module_activity(source=locked)
        return locked
    transition(
        report,
        {Report.Status.ISSUED},
        status=Report.Status.RETURNED,
        review_comment=_("Văn bản số %(c)s đã hủy: %(r)s")
        % {"c": locked.code, "r": reason.strip()},
        snapshot=None,
    )
    return locked
