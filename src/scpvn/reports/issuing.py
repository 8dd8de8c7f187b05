"""Issuing a report (a periodic, inspection or survey report, each a `Kind`): the number from the agency's
outgoing-document register, the two signatures, the register line; and cancelling an issue.
Pages, API and tests call these.

Everything that can refuse (permission, status, keys, PINs, certificates) is checked
before the register is touched; the number is taken, the document rendered and signed and
the line written in one transaction with the register's counter row locked, so a failure
(an unreachable TSA …) stores nothing, and two issues at once get consecutive numbers.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scpvn.core.decree30 import SIGNATURE_ANCHOR as PERSON_ANCHOR
from scpvn.core.errors import Denied
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
from scpvn.surveys.models import SurveyReport
from scpvn.surveys.reports import plan_of, report_symbol_of, sector_document, sector_html
from scpvn.surveys.services import sector_results


def can_issue(user: User, document) -> bool:
    """Those who approve a report sign it: a periodic, inspection or survey report (rules in
    reports/scopes.py)."""
    return allows(user, ISSUE, document)


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


def _nothing(*args) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    """What issuing needs to know of one kind of document; everything else (refusals, keys,
    number, PDF/A, the two signatures, the register line) is the same for all."""

    field: str  # the IssuedDocument link to the document
    agency: Callable[[Any], Agency | None]  # whose register numbers it, whose key signs it
    symbol: Callable[[Any], str]
    location: Callable[[Any], str]
    # (title, HTML) of the document with its number, `PERSON_ANCHOR` marking the signature
    html: Callable[[Any, Issue], tuple[str, str]]
    # refusals of the document's state, before any key is opened
    check: Callable[[Any], None] = _nothing
    # inside the transaction, before the number is taken (the status it moves to)
    before: Callable[[Any], Any] = _nothing
    # inside the transaction, with the register line (what the issue counts toward)
    after: Callable[[Any, IssuedDocument], None] = _nothing


def _check_report(report: Report) -> None:
    if report.status == Report.Status.ISSUED:
        raise ValidationError(
            _("Báo cáo đã được ký phát hành; hủy văn bản đã phát hành để phát hành lại."),
            code=DocumentError.ALREADY_ISSUED,
        )
    if report.status != Report.Status.APPROVED:
        raise ValidationError(
            _("Chỉ báo cáo đã duyệt mới được ký phát hành."), code=DocumentError.NOT_APPROVED
        )


def _report_html(report: Report, issue: Issue) -> tuple[str, str]:
    doc = document(report, issue)
    return doc["subtitle"], render_to_string("reports/document.html", {"doc": doc})


def _inspection_html(report: InspectionReport, issue: Issue) -> tuple[str, str]:
    doc = inspection_document(report, issue)
    return doc["subtitle"], export_pdf.inspection_html(doc)


def _inspection_counts(report: InspectionReport, entry: IssuedDocument) -> None:
    """The issued inspection report counts toward its deliverable (10.2)."""
    record_module_activity(
        source=entry,
        deliverable=report.deliverable,
        quantity=1,
        date=entry.issued_on,
        agency=report.agency,
        title=_("Báo cáo kết quả kiểm tra số %(c)s") % {"c": entry.code},
    )


def _check_survey_report(report: SurveyReport) -> None:
    """One issue at a time: a corrected version is issued once the last one is cancelled."""
    if report.issues.filter(status=IssuedDocument.Status.ISSUED).exists():
        raise ValidationError(
            _("Báo cáo khảo sát đã được ký phát hành; hủy văn bản đã phát hành để phát hành lại."),
            code=DocumentError.ALREADY_ISSUED,
        )


def _lock_survey_report(report: SurveyReport) -> SurveyReport:
    """Locks the report's row and checks again: two issues at once give one."""
    locked = SurveyReport.objects.select_for_update().get(pk=report.pk)
    _check_survey_report(locked)
    return report


def _survey_html(report: SurveyReport, issue: Issue) -> tuple[str, str]:
    """The figures are those of the answers when it is signed."""
    doc = sector_document(report, sector_results(report.survey, report.sector), issue)
    return doc["subtitle"], sector_html(doc)


KINDS: dict[type, Kind] = {
    Report: Kind(
        field="report",
        agency=lambda r: r.duty.by,
        symbol=symbol,
        location=lambda r: r.plan.place or "",
        html=_report_html,
        check=_check_report,
        before=lambda r: transition(r, {Report.Status.APPROVED}, status=Report.Status.ISSUED),
    ),
    # Each issue of an inspection report is a version of its own (the figures of the
    # responses when it is signed), and counts toward its deliverable.
    InspectionReport: Kind(
        field="inspection_report",
        agency=lambda r: r.agency,
        symbol=inspection_symbol,
        location=lambda r: r.plan.place or "",
        html=_inspection_html,
        after=_inspection_counts,
    ),
    SurveyReport: Kind(
        field="survey_report",
        agency=lambda r: r.survey.agency,
        symbol=report_symbol_of,
        location=lambda r: getattr(plan_of(r), "place", ""),
        html=_survey_html,
        check=_check_survey_report,
        before=_lock_survey_report,
    ),
}


def issue_document(user: User, document, person: KeySource) -> IssuedDocument:
    """Gives a document (a periodic report once approved, an inspection report, a survey's
    sector or summary report) the next number of its agency's register for this year,
    renders it as PDF/A-2b, signs it with the person's key and then the agency's, and
    records the line. An issued periodic report can no longer be edited."""
    kind = KINDS[type(document)]
    if not can_issue(user, document):
        raise Denied(
            _("Chỉ lãnh đạo đơn vị chủ trì hoặc quản trị được ký phát hành."),
            DocumentError.ISSUE_DENIED,
        )
    kind.check(document)
    agency = kind.agency(document)
    if agency is None:
        raise ValidationError(
            _("Báo cáo không có cơ quan ban hành."), code=DocumentError.NO_AGENCY_KEY
        )
    with person.open() as person_signer, agency_key(agency.code).open() as agency_signer:
        signing.check_certificate(person_signer)
        signing.check_certificate(agency_signer)
        return _issue(user, document, kind, agency, (person_signer, agency_signer))


@transaction.atomic
def _issue(user: User, document, kind: Kind, agency: Agency, signers: tuple) -> IssuedDocument:
    document = kind.before(document) or document
    entry = _sign_into_register(
        user,
        agency=agency,
        symbol=kind.symbol(document),
        location=kind.location(document),
        html=lambda issue: kind.html(document, issue),
        signers=signers,
        **{kind.field: document},
    )
    kind.after(document, entry)
    return entry


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


@transaction.atomic
def cancel_issue(user: User, entry: IssuedDocument, reason: str) -> IssuedDocument:
    """Cancels an issue: its line, number and signed file stay in the register with the
    reason; the report goes back to its agency (returned) so that a corrected version can
    be approved and issued again, under a new number."""
    report = entry.report
    if entry.document is None or not can_issue(user, entry.document):
        raise Denied(
            _("Chỉ lãnh đạo đơn vị chủ trì hoặc quản trị được hủy văn bản."),
            DocumentError.ISSUE_DENIED,
        )
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
    if entry.inspection_report is not None:  # its cancelled issue no longer counts
        withdraw_module_activity(source=locked)
        return locked
    if report is None:  # a survey report: issued again once corrected
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
