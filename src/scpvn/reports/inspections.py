"""The inspection report of a period (Plan 96, deliverable 10.2): who builds and reads it,
and its content, built from the inspection responses of the period (an officer's visit to a
market, supermarket or shopping centre with a questionnaire about places, NILON-ST, BB-CHO…)
by administrative unit and by kind of place, with the photos taken as an annex. The DOCX
(`export_docx.render_inspections`) and the PDF (`reports/inspection_document.html` through
`core.pdf`) render the same content; issuing numbers and signs the PDF as it does a periodic
report (`issuing.issue_document`)."""

import base64
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from scpvn.assessments.models import Answer, Question, Questionnaire, Response
from scpvn.core.decree30 import number_line, place_date, report_symbol, signed_at
from scpvn.core.errors import Denied
from scpvn.geo.areas import area_name
from scpvn.orgs.models import User
from scpvn.orgs.policy import VIEW, allows, restrict
from scpvn.orgs.roles import Role
from scpvn.plans.models import Deliverable, Plan, Task
from scpvn.reports.errors import ReportErrorCode
from scpvn.reports.models import InspectionReport
from scpvn.reports.scopes import INSPECTION_ROLES
from scpvn.reports.services import Issue, report_period

# Photos in the annex: more would make a file too heavy to send; the rest stay on line.
PHOTO_LIMIT = 60
PHOTO_MAX_PX = 1200


def inspection_reports_visible_to(user: User) -> QuerySet[InspectionReport]:
    """Inspection reports a user may read (rule in reports/scopes.py)."""
    reports = InspectionReport.objects.select_related("plan", "deliverable__task", "agency")
    return restrict(reports, user)


def reportable_deliverables(user: User, plan: Plan | None = None) -> QuerySet[Deliverable]:
    """The deliverables (of `plan`, or of every plan) a user may open an inspection report
    for: those of the tasks their agency leads (every one for a city administrator)."""
    deliverables = Deliverable.objects.select_related("task__plan").order_by(
        "task__plan", "task__number", "order"
    )
    if plan is not None:
        deliverables = deliverables.filter(task__plan=plan)
    if user.has_role(Role.CITY_ADMIN):
        return deliverables
    if not user.agency_id or not user.has_role(*INSPECTION_ROLES):
        return deliverables.none()
    return deliverables.filter(task__lead=user.agency_id)


@transaction.atomic
def open_inspection_report(
    user: User, deliverable: Deliverable, period_code: str
) -> InspectionReport:
    """The inspection report of a deliverable and period, created on first use by an
    officer of the task's lead agency or a city administrator. A refusal writes nothing."""
    period = report_period(period_code)
    task: Task = deliverable.task
    report, _created = InspectionReport.objects.get_or_create(
        deliverable=deliverable,
        period=period.code,
        defaults={"plan": task.plan, "agency": task.lead, "created_by": user},
    )
    if not allows(user, VIEW, report):
        raise Denied(
            _("Chỉ cán bộ của %(agency)s hoặc quản trị thành phố lập báo cáo kiểm tra này.")
            % {"agency": task.lead.name},
            ReportErrorCode.INSPECTION_DENIED,
        )
    return report


# --- content -----------------------------------------------------------------------------


def inspection_responses(period_start: dt.date, period_end: dt.date) -> QuerySet[Response]:
    """The inspection visits of a period: responses to questionnaires about places."""
    return (
        Response.objects.filter(
            questionnaire__subject=Questionnaire.Subject.PLACE,
            date__range=(period_start, period_end),
        )
        .select_related("questionnaire", "place", "unit", "district")
        .order_by("date", "pk")
    )


def unit_name(response: Response) -> str:
    """Where the visit took place, as the record is placed: its commune or ward (its
    district for the records before the 2025 reform)."""
    return area_name(response) or _("Chưa xác định")


def _jpeg(data: bytes) -> bytes | None:
    """The photo as a JPEG no larger than PHOTO_MAX_PX (Word takes no WebP; a document
    with full-size photos cannot be sent); None when the file is no image."""
    try:
        image = Image.open(io.BytesIO(data))
        image.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return out.getvalue()


@dataclass(frozen=True)
class Photo:
    caption: str
    jpeg: bytes


def _photos(answers: list[Answer], places: dict[int, Response]) -> tuple[list[Photo], int]:
    """The annex's photos (at most PHOTO_LIMIT, in the order of the visits) and how many
    were left out."""
    photos = []
    for answer in answers[:PHOTO_LIMIT]:
        try:
            with answer.photo.open("rb") as handle:
                jpeg = _jpeg(handle.read())
        except (FileNotFoundError, OSError):
            jpeg = None
        if jpeg is None:
            continue
        response = places[answer.response_id]
        photos.append(
            Photo(
                caption=f"{response.date:%d/%m/%Y} — {response.place} ({unit_name(response)}): "
                f"{answer.question.text}",
                jpeg=jpeg,
            )
        )
    return photos, max(len(answers) - PHOTO_LIMIT, 0)


def _table(responses: list[Response], key) -> list[dict]:
    visits: dict[str, int] = defaultdict(int)
    places: dict[str, set[int]] = defaultdict(set)
    for response in responses:
        visits[key(response)] += 1
        places[key(response)].add(response.place_id)
    return [
        {"name": name, "visits": visits[name], "places": len(places[name])}
        for name in sorted(visits)
    ]


def _findings(answers: list[Answer]) -> str:
    return "; ".join(
        f"{a.question.text}: {a.display}"
        for a in answers
        if a.question.type != Question.Type.PHOTO and a.display
    )


def inspection_document(report: InspectionReport, issue: Issue | None = None) -> dict:
    """Everything the rendered inspection report shows, in the order of Decree 30/2020/NĐ-CP
    (heading, number, place and date, title, body, recipients, signature) with the visits
    by unit, by kind of place, one by one, and the photos as an annex."""
    plan, deliverable, agency = report.plan, report.deliverable, report.agency
    period = report_period(report.period)
    names = plan.agency_names()
    agency_name = names.get(agency.pk) or agency.name
    responses = list(inspection_responses(period.start, period.end))
    by_response = {r.pk: r for r in responses}
    answers: dict[int, list[Answer]] = defaultdict(list)
    photo_answers = []
    for answer in (
        Answer.objects.filter(response__in=responses)
        .select_related("question")
        .order_by("response__date", "response_id", "question__order")
    ):
        answers[answer.response_id].append(answer)
        if answer.question.type == Question.Type.PHOTO and answer.photo:
            photo_answers.append(answer)
    photos, photos_left_out = _photos(photo_answers, by_response)
    day = issue.day if issue else None
    name = deliverable.name
    subject = name[len("Báo cáo ") :] if name.lower().startswith("báo cáo ") else name
    visits = [
        {
            "date": f"{r.date:%d/%m/%Y}",
            "place": str(r.place),
            "kind": str(r.place.get_kind_display()),
            "unit": unit_name(r),
            "questionnaire": r.questionnaire.code,
            "findings": _findings(answers[r.pk]),
        }
        for r in responses
    ]
    return {
        "authority": plan.issuer.upper(),
        "agency": agency_name.upper(),
        "number": number_line(issue.number if issue else None, inspection_symbol(report)),
        "place_date": place_date(plan.place, day, period.end.year),
        "title": "BÁO CÁO",
        "subtitle": f"{subject[:1].upper()}{subject[1:]} ({period.label})",
        "intro": _(
            "Thực hiện nhiệm vụ %(task)s của Kế hoạch số %(code)s ngày %(date)s của %(issuer)s, "
            "%(agency)s báo cáo kết quả kiểm tra %(period)s như sau:"
        )
        % {
            "task": deliverable.task.number,
            "code": plan.code,
            "date": f"{plan.issued:%d/%m/%Y}" if plan.issued else "…",
            "issuer": plan.issuer,
            "agency": agency_name,
            "period": period.label,
        },
        "summary": _(
            "Trong kỳ đã thực hiện %(visits)s lượt kiểm tra tại %(places)s cơ sở, "
            "%(units)s đơn vị hành chính."
        )
        % {
            "visits": len(responses),
            "places": len({r.place_id for r in responses}),
            "units": len({unit_name(r) for r in responses}),
        },
        "by_unit": _table(responses, unit_name),
        "by_kind": _table(responses, lambda r: str(r.place.get_kind_display())),
        "visits": visits,
        "photos": photos,
        "photos_left_out": photos_left_out,
        "closing": _("%(agency)s báo cáo %(to)s./.") % {"agency": agency_name, "to": plan.issuer},
        "recipients": [plan.issuer, "Lưu: VT"],
        "signer_capacity": "",
        "signer_title": report.signer_title,
        "signer_name": "",
        "period": period,
        "draft": issue is None,  # the signed version is the register's copy
        "issue": issue,
        "signed_at": signed_at(issue),
    }


def inspection_symbol(report: InspectionReport) -> str:
    """The symbol after the number: `BC-SCT`, as for the agency's other reports."""
    return report_symbol(report.agency.code)


def file_name(report: InspectionReport, fmt: str) -> str:
    return f"bao-cao-kiem-tra-{report.period.lower()}-{report.agency.code.lower()}.{fmt}"


def photo_data_uri(photo: Photo) -> str:
    """The photo inside the HTML the PDF is printed from: nothing is fetched by URL."""
    return "data:image/jpeg;base64," + base64.b64encode(photo.jpeg).decode("ascii")
