"""Periodic reports: periods, who writes what, compiling, the frozen figures, and the
content every export (DOCX, PDF, XLSX) renders, so the three say the same thing."""

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scpvn.core import review
from scpvn.core.decree30 import number_line, place_date, report_symbol, signed_at
from scpvn.core.errors import Denied
from scpvn.core.periods import Period, PeriodKind, parse_period
from scpvn.indicators.methods import DIVIDES_BY
from scpvn.indicators.services import indicator_table
from scpvn.notifications.services import notify
from scpvn.orgs.models import Agency, User
from scpvn.orgs.policy import allows, check, restrict
from scpvn.orgs.roles import Role
from scpvn.orgs.scopes import ACT_FOR
from scpvn.plans.budget import budget_lines
from scpvn.plans.models import Duty, Plan, ReportingDuty, Task, deliverable_display_code
from scpvn.progress.models import Activity
from scpvn.progress.scopes import REVIEW, acting_agency
from scpvn.progress.services import tasks_recordable_by
from scpvn.progress.status import Status, plan_progress
from scpvn.reports.errors import ReportErrorCode
from scpvn.reports.models import Report, ReportSection
from scpvn.reports.scopes import COMPILE

REPORT_KINDS = (PeriodKind.YEAR, PeriodKind.HALF, PeriodKind.QUARTER)


def report_period(code: str) -> Period:
    """A report's period: a year, half or quarter code of core.periods (a month is not a
    reporting period); InvalidPeriod, a ValidationError, otherwise."""
    return parse_period(code, REPORT_KINDS)


def due_date(period: Period) -> dt.date:
    """The day a report for `period` is due: `SCPVN_REPORT_DUE_DAYS` after it ends."""
    return period.end + dt.timedelta(days=settings.SCPVN_REPORT_DUE_DAYS)


def periods_for(duty: ReportingDuty) -> list[Period]:
    """The periods a duty asks a report for within its plan: each quarter for a quarterly
    duty, each first half-year for a semi-annual duty (the second half is covered by the
    annual report), each year for an annual one; reports on request have no fixed periods
    (nor, until the report periods know months, monthly ones)."""
    years = range(duty.plan.period_start.year, duty.plan.period_end.year + 1)
    if duty.frequency == ReportingDuty.Frequency.QUARTERLY:
        return [parse_period(f"{y}-Q{q}") for y in years for q in range(1, 5)]
    if duty.frequency == ReportingDuty.Frequency.SEMIANNUAL:
        return [report_period(f"{y}-H1") for y in years]
    if duty.frequency == ReportingDuty.Frequency.ANNUAL:
        return [report_period(f"{y}") for y in years]
    return []


def duty_for_period(plan: Plan, period: Period) -> ReportingDuty:
    """The duty a period code belongs to: half years to the semi-annual duty, years to the
    annual one (what `scpvn report build --period` means)."""
    frequency = (
        ReportingDuty.Frequency.ANNUAL
        if "-" not in period.code
        else ReportingDuty.Frequency.SEMIANNUAL
    )
    duty = plan.reporting.filter(frequency=frequency).select_related("by").first()
    if duty is None:
        raise ValidationError(
            _("Kế hoạch không có chế độ báo cáo cho kỳ %(p)s.") % {"p": period.code},
            code=ReportErrorCode.NO_DUTY_FOR_PERIOD,
        )
    return duty


@transaction.atomic
def open_report(duty: ReportingDuty, period_code: str) -> Report:
    """The report for a duty and period, created on first use."""
    period = report_period(period_code)
    report, _created = Report.objects.get_or_create(
        duty=duty, period=period.code, defaults={"plan": duty.plan}
    )
    return report


# --- who may do what ---------------------------------------------------------------------


def reporting_agency(report: Report) -> Agency | None:
    return report.duty.by


def can_compile(user: User, report: Report) -> bool:
    """The reporting agency's officers (and city administrators) compile and submit, while
    the report is being written (rule in reports/scopes.py)."""
    return report.editable and allows(user, COMPILE, report)


def section_tasks(user: User, report: Report) -> QuerySet[Task]:
    """Tasks an agency writes about: those it may record activities for, in this plan."""
    if not report.editable:
        return Task.objects.none()
    return tasks_recordable_by(user).filter(plan=report.plan)


def section_duties(user: User, report: Report) -> QuerySet[Duty]:
    """Duties of the plan an agency writes about: those given to an agency the user acts
    for (a city administrator: every one), while the report is being written."""
    if not report.editable:
        return Duty.objects.none()
    acted_for = restrict(Agency.objects.all(), user, ACT_FOR)
    return report.plan.duties.filter(agency__in=acted_for).select_related("agency")


def can_review(user: User, report: Report) -> bool:
    return report.status == Report.Status.SUBMITTED and allows(user, REVIEW, report)


# --- writing -----------------------------------------------------------------------------


@transaction.atomic
def save_section(user: User, report: Report, task: Task, text: str) -> ReportSection | None:
    """An agency's narrative for a task; an empty text withdraws it."""
    if not section_tasks(user, report).filter(pk=task.pk).exists():
        raise Denied(
            _("Đơn vị của bạn không viết phần này hoặc báo cáo đã trình."),
            ReportErrorCode.SECTION_DENIED,
        )
    agency = acting_agency(user) or task.lead
    if not text.strip():
        ReportSection.objects.filter(report=report, task=task, agency=agency).delete()
        return None
    section, _created = ReportSection.objects.update_or_create(
        report=report, task=task, agency=agency, defaults={"text": text.strip(), "updated_by": user}
    )
    return section


@transaction.atomic
def save_duty_section(user: User, report: Report, duty: Duty, text: str) -> ReportSection | None:
    """The narrative of the agency a duty is given to, on that duty's work in the period;
    an empty text withdraws it."""
    if not section_duties(user, report).filter(pk=duty.pk).exists():
        raise Denied(
            _("Đơn vị của bạn không viết phần này hoặc báo cáo đã trình."),
            ReportErrorCode.SECTION_DENIED,
        )
    if not text.strip():
        ReportSection.objects.filter(report=report, duty=duty, agency=duty.agency).delete()
        return None
    section, _created = ReportSection.objects.update_or_create(
        report=report,
        duty=duty,
        agency=duty.agency,
        defaults={"text": text.strip(), "updated_by": user},
    )
    return section


def duty_work(report: Report, period: Period, named) -> list[dict]:
    """Each duty of the plan with the work done on it: the narratives written for it and
    the approved activities of the period that name it (what the report lists beside the
    tasks, so duties that are not tasks are reported too)."""
    duties = list(report.plan.duties.select_related("agency").order_by("order"))
    written: dict[int, list[dict]] = {}
    if report.pk:
        for s in report.sections.filter(duty__isnull=False).select_related("agency"):
            written.setdefault(s.duty_id, []).append({"agency": named(s.agency), "text": s.text})
    done: dict[int, list[dict]] = {}
    activities = (
        Activity.objects.filter(
            duty__in=duties,
            status=Activity.Status.APPROVED,
            date__range=(period.start, period.end),
        )
        .select_related("agency")
        .order_by("date", "pk")
    )
    for a in activities:
        done.setdefault(a.duty_id, []).append(
            {"date": a.date.isoformat(), "title": a.title, "agency": named(a.agency)}
        )
    return [
        {
            "agency": named(d.agency),
            "text": d.text,
            "truncated": d.truncated,
            "sections": written.get(d.pk, []),
            "activities": done.get(d.pk, []),
        }
        for d in duties
    ]


@transaction.atomic
def save_compilation(
    user: User, report: Report, *, version: int | None = None, **fields: str
) -> Report:
    """The reporting agency's own parts: number, overall assessment, difficulties,
    proposals, signer."""
    if not can_compile(user, report):
        raise Denied(
            _("Chỉ đơn vị chủ trì báo cáo được tổng hợp khi báo cáo đang soạn."),
            ReportErrorCode.COMPILE_DENIED,
        )
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if version is not None and version != locked.version:
        raise ValidationError(
            _("Báo cáo vừa được người khác sửa. Hãy tải lại trang."),
            code=ReportErrorCode.STALE_VERSION,
        )
    allowed = {"number", "summary", "difficulties", "proposals", "signer_title", "signer_name"}
    for name, value in fields.items():
        if name in allowed:
            setattr(locked, name, value.strip())
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def submit_report(user: User, report: Report) -> Report:
    """Freezes the figures as they stand now and sends the report for review."""
    if not can_compile(user, report):
        raise Denied(
            _("Chỉ đơn vị chủ trì báo cáo được trình báo cáo."), ReportErrorCode.COMPILE_DENIED
        )
    now = timezone.now()
    submitted = review.submit(report, by=user, at=now, snapshot=frozen_figures(report, now))
    for reviewer in User.objects.filter(role=Role.REVIEWER, is_active=True):
        notify(
            reviewer,
            f"report-submitted:{submitted.pk}:{submitted.version}",
            _("Báo cáo chờ duyệt: %(r)s") % {"r": submitted},
            submitted.get_absolute_url(),
        )
    return submitted


@transaction.atomic
def approve_report(user: User, report: Report, comment: str = "") -> Report:
    check(
        user,
        REVIEW,
        report,
        _("Chỉ lãnh đạo hoặc quản trị được duyệt báo cáo."),
        ReportErrorCode.REVIEW_DENIED,
    )
    return review.approve(report, by=user, comment=comment)


@transaction.atomic
def return_report(user: User, report: Report, comment: str) -> Report:
    """Back to the reporting agency with the reason; the frozen figures are released so the
    next submission freezes fresh ones."""
    check(
        user,
        REVIEW,
        report,
        _("Chỉ lãnh đạo hoặc quản trị được trả lại báo cáo."),
        ReportErrorCode.REVIEW_DENIED,
    )
    returned = review.send_back(report, by=user, comment=comment, snapshot=None)
    if returned.submitted_by:
        notify(
            returned.submitted_by,
            f"report-returned:{returned.pk}:{returned.version}",
            _("Báo cáo bị trả lại: %(r)s") % {"r": returned},
            returned.get_absolute_url(),
        )
    return returned


@transaction.atomic
def refresh_figures(user: User, report: Report) -> Report:
    """A reviewer, told that newer approved work exists, freezes the figures again before
    approving: the report then carries what is known now. The refresh is in the report's
    history with who did it."""
    check(
        user,
        REVIEW,
        report,
        _("Chỉ lãnh đạo hoặc quản trị được cập nhật số liệu đã chốt."),
        ReportErrorCode.REVIEW_DENIED,
    )
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status != Report.Status.SUBMITTED:
        raise ValidationError(
            _("Chỉ cập nhật số liệu của báo cáo đang chờ duyệt."), code="wrong_state"
        )
    locked.snapshot = frozen_figures(locked, timezone.now())
    locked.version += 1
    locked._change_reason = "refresh_figures"
    locked.save()
    return locked


# --- figures -----------------------------------------------------------------------------


def indicator_rows(plan: Plan, period_code: str) -> list[dict]:
    """The report's indicator table: the indicator engine's city-wide values for the period."""
    return [asdict(row) for row in indicator_table(plan, period_code)]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def compute_figures(report: Report, known_at: dt.datetime | None = None) -> dict:
    """The report's numbers, JSON-ready (what `snapshot` freezes): per task and deliverable
    the target, what was achieved in the period and in total by its end, and the status on
    the period's last day; the indicator table. Work done in the period counts even if it
    was approved after the period ended, up to `known_at` (now, by default)."""
    period = report_period(report.period)
    known_at = known_at or timezone.now()
    progress = plan_progress(report.plan, period.end, known_at=known_at, since=period.start)
    names = report.plan.agency_names()  # the names the plan was written with
    tasks = []
    for t in progress.tasks:
        tasks.append(
            {
                "number": t.task.number,
                "title": t.task.title,
                "lead": names.get(t.task.lead_id) or t.task.lead.name,
                "window": f"{t.task.start:%m/%Y} – {t.task.end:%m/%Y}",
                "status": t.status.value,
                "status_label": str(t.status.label),
                "percent": t.percent,
                "deliverables": [
                    {
                        "code": d.deliverable.code,
                        "display_code": d.deliverable.display_code,
                        "name": d.deliverable.name,
                        "unit": _("mốc") if d.milestones else d.deliverable.unit,
                        "target": _text(d.target),
                        "milestones": d.milestones,
                        "in_period": _text(d.in_period),
                        "achieved": _text(d.achieved),
                        "percent": d.percent,
                        "status": d.status.value,
                        "status_label": str(d.status.label),
                    }
                    for d in t.deliverables
                ],
            }
        )
    indicators = [
        {
            **row,
            **{
                k: _text(row[k])
                for k in ("target", "value", "numerator", "denominator", "coverage")
            },
        }
        for row in indicator_rows(report.plan, period.code)
    ]
    percent = {t.task.pk: t.percent for t in progress.tasks}
    budget = [
        {
            "task": line.allocation.task.number if line.allocation.task_id else None,
            "agency": names.get(line.allocation.agency_id) or line.allocation.agency.name,
            "source": str(line.allocation.get_source_display()),
            "decision": line.allocation.decision,
            "allocated": _text(line.allocation.amount),
            "committed": _text(line.committed),
            "spent": _text(line.spent),
            "task_percent": percent.get(line.allocation.task_id),
        }
        for line in budget_lines(report.plan, as_of=period.end)
    ]
    return {
        "as_of": period.end.isoformat(),
        "computed_at": known_at.isoformat(),
        "tasks": tasks,
        "budget": budget,
        "task_counts": {str(Status(k).label): v for k, v in progress.task_counts.items()},
        "percent": progress.percent,
        "indicators": indicators,
    }


def frozen_figures(report: Report, known_at: dt.datetime) -> dict:
    """The figures as frozen into the report, labels in Vietnamese (the document's language)."""
    with translation.override("vi"):
        return compute_figures(report, known_at=known_at)


def figure_changes(report: Report) -> dict[str, dict]:
    """For a report awaiting approval, the deliverables whose figure today (work approved
    since it was frozen) differs from the frozen one, by code: what the reviewer weighs
    before approving or refreshing. Empty for any other report."""
    if report.status != Report.Status.SUBMITTED or not report.snapshot:
        return {}
    current = {d["code"]: d for t in compute_figures(report)["tasks"] for d in t["deliverables"]}
    changes = {}
    for task in report.snapshot["tasks"]:
        for frozen in task["deliverables"]:
            now = current.get(frozen["code"])
            if now and (now["achieved"], now["status"]) != (frozen["achieved"], frozen["status"]):
                changes[frozen["code"]] = now
    return changes


def with_display_codes(numbers: dict) -> dict:
    """Figures frozen before deliverables showed their task (`NV4.1`) get the shown code,
    so no document or API answer prints a deliverable's code bare."""
    for task in numbers.get("tasks", []):
        for d in task["deliverables"]:
            d.setdefault("display_code", deliverable_display_code(d["code"]))
    return numbers


def with_coverage(row: dict) -> dict:
    """An indicator row with its coverage in words beside the value: how many subjects were
    observed out of those registered, and what a share divides by. Figures frozen before
    these were kept show "—"."""
    observed, population = row.get("observed"), row.get("population")
    label = DIVIDES_BY.get(row.get("divides_by") or "")
    coverage = "—" if observed is None else f"{observed}/{population}"
    if label:
        coverage += f" ({_('mẫu số')}: {label})"
    return {**row, "coverage_text": coverage}


def figures(report: Report) -> dict:
    """Frozen figures once submitted; live ones while the report is being written."""
    return with_display_codes(report.snapshot) if report.snapshot else compute_figures(report)


def vn_number(value: str | Decimal | None) -> str:
    """1234.5 → "1.234,5" (Vietnamese grouping), None → "—"."""
    if value is None:
        return "—"
    number = Decimal(str(value)).normalize()
    whole, _sep, fraction = format(number, "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = ".".join(reversed([digits[max(i - 3, 0) : i] for i in range(len(digits), 0, -3)]))
    return f"{sign}{grouped}{',' + fraction if fraction else ''}"


@dataclass(frozen=True)
class Issue:
    """What issuing adds to a report: the register's number and date, and the visible
    part of the two digital signatures (Decree 30, Appendix I)."""

    number: int
    day: dt.date
    signed_at: dt.datetime
    person: str  # the holder of the person's certificate
    agency: str  # the holder of the agency's certificate


def symbol(report: Report) -> str:
    """The document's symbol after its number: `BC-SCT`."""
    return report_symbol(report.duty.by.code if report.duty.by else "UBND")


def document(report: Report, issue: Issue | None = None) -> dict:
    """Everything a rendered report shows, in Decree 30/2020/NĐ-CP order: issuing authority
    and agency, number and symbol, place and date, title, body (results per task with each
    agency's narrative, indicators, difficulties, proposals), recipients, signature. An
    `issue` gives the number and date from the register and the signature boxes."""
    plan, duty = report.plan, report.duty
    period = report_period(report.period)
    agency = duty.by
    names = plan.agency_names()  # a report keeps the agency names of its plan

    def named(a: Agency) -> str:
        return names.get(a.pk) or a.name

    if issue:
        day = issue.day
    else:
        day = timezone.localdate(report.submitted_at) if report.submitted_at else None
    number = str(issue.number) if issue else report.number
    sections: dict[int, list[dict]] = {}
    written = (
        report.sections.filter(task__isnull=False).select_related("agency", "task")
        if report.pk
        else []
    )
    for s in written:
        sections.setdefault(s.task.number, []).append({"agency": named(s.agency), "text": s.text})
    numbers = figures(report)
    for task in numbers["tasks"]:
        task["sections"] = sections.get(task["number"], [])
    recipients = [named(a) for a in duty.to.all()] if duty.pk else []
    signer = plan.signer or {}
    return {
        "authority": plan.issuer.upper(),
        "agency": (named(agency) if agency else plan.issuer).upper(),
        "number": number_line(number, symbol(report)),
        "place_date": place_date(plan.place, day, period.end.year),
        "title": "BÁO CÁO",
        "subtitle": _(
            "Kết quả thực hiện %(period)s Kế hoạch số %(code)s ngày %(date)s của %(issuer)s"
        )
        % {
            "code": plan.code,
            "date": f"{plan.issued:%d/%m/%Y}" if plan.issued else "…",
            "issuer": plan.issuer,
            "period": period.label,
        },
        "intro": _(
            "Thực hiện Kế hoạch số %(code)s ngày %(date)s của %(issuer)s về %(title)s, "
            "%(agency)s báo cáo kết quả thực hiện %(period)s như sau:"
        )
        % {
            "code": plan.code,
            "date": f"{plan.issued:%d/%m/%Y}" if plan.issued else "…",
            "issuer": plan.issuer,
            "title": plan.title[0].lower() + plan.title[1:],
            "agency": named(agency) if agency else plan.issuer,
            "period": period.label,
        },
        "summary": report.summary,
        "tasks": numbers["tasks"],
        "task_counts": numbers["task_counts"],
        "percent": numbers["percent"],
        "as_of": dt.date.fromisoformat(numbers["as_of"]),
        "indicators": [with_coverage(row) for row in numbers["indicators"]],
        "duties": duty_work(report, period, named),
        "budget": numbers.get("budget", []),
        "difficulties": report.difficulties,
        "proposals": report.proposals,
        "closing": _("%(agency)s báo cáo %(to)s./.")
        % {
            "agency": named(agency) if agency else plan.issuer,
            "to": ", ".join(recipients) or "cấp trên",
        },
        "recipients": [*recipients, "Lưu: VT"],
        "signer_capacity": "" if agency else signer.get("capacity", ""),
        "signer_title": report.signer_title if agency else signer.get("position", ""),
        "signer_name": report.signer_name or ("" if agency else signer.get("name", "")),
        "period": period,
        "draft": report.status in (Report.Status.DRAFT, Report.Status.RETURNED),
        "issue": issue,
        "signed_at": signed_at(issue),
    }


def reports_due(day: dt.date) -> list[tuple[ReportingDuty, Period, Report | None]]:
    """Every periodic report whose period has ended by `day` and that is not yet submitted
    (or was returned): what the reminders chase."""
    out = []
    duties = ReportingDuty.objects.exclude(
        frequency=ReportingDuty.Frequency.ON_REQUEST
    ).select_related("plan", "by")
    existing = {(r.duty_id, r.period): r for r in Report.objects.filter(Q(duty__in=duties))}
    for duty in duties:
        for period in periods_for(duty):
            report = existing.get((duty.pk, period.code))
            if period.end < day and (report is None or report.editable):
                out.append((duty, period, report))
    return out
