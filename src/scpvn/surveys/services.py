"""Survey rules: the seeded sample, answer validation, response counts, and the reports."""

import datetime as dt
import random
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scpvn.core import clock
from scpvn.orgs.officers import require_officer
from scpvn.progress.services import record_module_activity
from scpvn.registry.models import Enterprise
from scpvn.surveys.models import Question, Survey, SurveyReport, SurveyResponse, SurveySector
from scpvn.surveys.reports import SectorResults, build_report_docx


def sector_candidates(sector: SurveySector):
    """Registry enterprises whose VSIC code starts with one of the sector's prefixes."""
    prefixes = [str(p) for p in sector.vsic_prefixes or []]
    if not prefixes:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(reduce(or_, (Q(vsic_code__startswith=p) for p in prefixes)))


@transaction.atomic
def draw_sample(user, survey: Survey) -> dict[str, int]:
    """Draw each sector's sample from the registry. Deterministic (same seed and registry,
    same sample, so the draw can be audited) and all-or-nothing: a sector the registry cannot
    fill stops the whole draw. An enterprise is sampled in at most one sector."""
    require_officer(user, survey.agency_id)
    if survey.responses.exists():
        raise ValidationError(_("Mẫu khảo sát đã được chọn."))
    sectors = list(survey.sectors.all())
    if not sectors:
        raise ValidationError(_("Chưa khai báo lĩnh vực khảo sát."))
    taken: set[int] = set()
    drawn: dict[str, int] = {}
    for sector in sectors:
        pool = list(
            sector_candidates(sector)
            .exclude(pk__in=taken)
            .order_by("tax_code")
            .values_list("pk", flat=True)
        )
        if len(pool) < sector.sample_size:
            raise ValidationError(
                _("Lĩnh vực “%(s)s”: cần %(n)s doanh nghiệp nhưng sổ doanh nghiệp chỉ có %(m)s.")
                % {"s": sector.name, "n": sector.sample_size, "m": len(pool)}
            )
        chosen = random.Random(f"{survey.seed}:{sector.name}").sample(pool, sector.sample_size)
        taken.update(chosen)
        SurveyResponse.objects.bulk_create(
            SurveyResponse(survey=survey, sector=sector, enterprise_id=pk) for pk in chosen
        )
        drawn[sector.name] = len(chosen)
    return drawn


def clean_answers(survey: Survey, raw: dict[str, str]) -> dict[str, object]:
    """Check each answer against its question's kind; every question except free text must
    be answered."""
    cleaned: dict[str, object] = {}
    errors: list[str] = []
    for question in survey.questions.all():
        value = str(raw.get(str(question.pk), "")).strip()
        label = f"C{question.order}"
        if not value:
            if question.kind != Question.Kind.TEXT:
                errors.append(_("%(q)s: chưa trả lời") % {"q": label})
            continue
        if question.kind == Question.Kind.SCALE:
            if value not in {"1", "2", "3", "4", "5"}:
                errors.append(_("%(q)s: chọn từ 1 đến 5") % {"q": label})
                continue
            cleaned[str(question.pk)] = int(value)
        elif question.kind == Question.Kind.YESNO:
            if value not in {"yes", "no"}:
                errors.append(_("%(q)s: chọn Có hoặc Không") % {"q": label})
                continue
            cleaned[str(question.pk)] = value == "yes"
        elif question.kind == Question.Kind.NUMBER:
            try:
                number = float(value.replace(",", "."))
            except ValueError:
                errors.append(_("%(q)s: cần một số") % {"q": label})
                continue
            if number < 0:
                errors.append(_("%(q)s: không được âm") % {"q": label})
                continue
            cleaned[str(question.pk)] = number
        else:
            cleaned[str(question.pk)] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def record_answers(
    user, response: SurveyResponse, raw: dict[str, str], at: dt.datetime | None = None
) -> SurveyResponse:
    """Store a response's answers; `at` is when it was answered (default now: an officer
    typing in a paper questionnaire later may give the date on the paper)."""
    require_officer(user, response.survey.agency_id)
    response.answers = clean_answers(response.survey, raw)
    response.status = SurveyResponse.Status.ANSWERED
    response.answered_at = at or timezone.now()
    response.save(update_fields=["answers", "status", "answered_at"])
    _count_surveyed(response.survey)
    return response


def decline(user, response: SurveyResponse) -> SurveyResponse:
    require_officer(user, response.survey.agency_id)
    if response.status == SurveyResponse.Status.ANSWERED:
        raise ValidationError(_("Doanh nghiệp đã trả lời phiếu."))
    response.status = SurveyResponse.Status.DECLINED
    response.save(update_fields=["status"])
    return response


def _count_surveyed(survey: Survey) -> None:
    """Enterprises surveyed = answered questionnaires, dated by the latest answer."""
    answered = survey.responses.filter(status=SurveyResponse.Status.ANSWERED)
    latest = answered.order_by("-answered_at").values_list("answered_at", flat=True).first()
    if survey.deliverable_id and latest:
        record_module_activity(
            source=survey,
            deliverable=survey.deliverable,
            quantity=answered.count(),
            date=timezone.localdate(latest),
            agency=survey.agency,
            title=_("Doanh nghiệp được khảo sát: %(t)s") % {"t": survey.title},
        )


def sector_results(survey: Survey, sector: SurveySector | None) -> SectorResults:
    """The answers of one sector (or all, for the summary) as tables ready for the report."""
    responses = survey.responses.filter(status=SurveyResponse.Status.ANSWERED)
    if sector is not None:
        responses = responses.filter(sector=sector)
    answers = list(responses.values_list("answers", flat=True))
    return SectorResults.from_answers(
        title=sector.name if sector else _("Tổng hợp 3 lĩnh vực"),
        questions=list(survey.questions.all()),
        answers=answers,
        sampled=survey.responses.filter(sector=sector).count()
        if sector
        else survey.responses.count(),
    )


@transaction.atomic
def generate_reports(user, survey: Survey, on: dt.date | None = None) -> list[SurveyReport]:
    """One DOCX per sector and a summary, each counted toward its deliverable on `on`
    (default today). A sector with no answers yet gets no report: a report of nothing would
    be counted as done."""
    require_officer(user, survey.agency_id)
    if not survey.responses.filter(status=SurveyResponse.Status.ANSWERED).exists():
        raise ValidationError(_("Chưa có phiếu trả lời nào để lập báo cáo."))
    reports = []
    today = on or clock.today()
    targets: list[tuple[SurveySector | None, object]] = [
        (s, s.report_deliverable) for s in survey.sectors.select_related("report_deliverable")
    ]
    targets.append((None, survey.summary_deliverable))
    for sector, deliverable in targets:
        results = sector_results(survey, sector)
        if not results.respondents:
            continue
        content = build_report_docx(survey_title=survey.title, results=results, year=survey.year)
        report = SurveyReport.objects.filter(survey=survey, sector=sector).first() or SurveyReport(
            survey=survey, sector=sector
        )
        report.respondents = results.respondents
        name = f"survey-{survey.pk}-{'sector-' + str(sector.pk) if sector else 'summary'}.docx"
        if report.file:
            report.file.delete(save=False)
        report.file.save(name, ContentFile(content), save=False)
        report.save()
        if deliverable is not None:
            record_module_activity(
                source=report,
                deliverable=deliverable,
                quantity=1,
                date=today,
                agency=survey.agency,
                title=_("Báo cáo khảo sát: %(t)s") % {"t": results.title},
            )
        reports.append(report)
    return reports
