"""Survey rules: the seeded sample (assignments of the survey's questionnaire), declines,
the count of enterprises surveyed, and the reports. Answers are entered and checked by the
questionnaire engine (`assessments.services.submit_response`), once, for every survey."""

import datetime as dt
import random
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from scpvn.assessments.models import Answer, Assignment, Questionnaire, Response
from scpvn.assessments.services import register_closed_assignments, response_submitted
from scpvn.core import clock
from scpvn.orgs.scopes import check_owned
from scpvn.progress.services import record_module_activity
from scpvn.registry.models import Enterprise
from scpvn.surveys.errors import SurveysErrorCode
from scpvn.surveys.models import Survey, SurveyReport, SurveyResponse, SurveySector
from scpvn.surveys.reports import SectorResults, build_report_docx, build_report_pdf


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
    fill stops the whole draw. An enterprise is sampled in at most one sector. Each sampled
    enterprise is assigned the survey's questionnaire, run by the survey's agency: its
    officers enter the paper forms, the enterprise may answer itself."""
    check_owned(user, survey, SurveysErrorCode.CHANGE_DENIED)
    if survey.responses.exists():
        raise ValidationError(_("Mẫu khảo sát đã được chọn."))
    if survey.questionnaire.subject != Questionnaire.Subject.ENTERPRISE:
        raise ValidationError(_("Phiếu của cuộc khảo sát phải là phiếu gửi doanh nghiệp."))
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
            SurveyResponse(
                survey=survey, sector=sector, enterprise_id=pk, assignment=_assign(survey, pk)
            )
            for pk in chosen
        )
        drawn[sector.name] = len(chosen)
    return drawn


def _assign(survey: Survey, enterprise_id: int) -> Assignment:
    """The enterprise's assignment of the survey's questionnaire, now run by the survey's
    agency (one an officer made by hand on the questionnaire page is taken over)."""
    assignment, _created = Assignment.objects.update_or_create(
        questionnaire=survey.questionnaire,
        enterprise_id=enterprise_id,
        defaults={"agency": survey.agency},
    )
    return assignment


def decline(user, response: SurveyResponse) -> SurveyResponse:
    """An enterprise of the sample refuses to answer."""
    check_owned(user, response, SurveysErrorCode.CHANGE_DENIED)
    if response.status == SurveyResponse.Status.ANSWERED:
        raise ValidationError(_("Doanh nghiệp đã trả lời phiếu."))
    response.declined = True
    response.save(update_fields=["declined"])
    return response


# A sampled enterprise that declined is no longer waiting for an answer, on its own
# workspace or on the officers'.
register_closed_assignments(Q(survey_sample__declined=True))


def _answered_responses(survey: Survey, sector: SurveySector | None = None):
    """The engine's responses on the survey's assignments (of one sector, if given)."""
    responses = Response.objects.filter(assignment__survey_sample__survey=survey)
    if sector is not None:
        responses = responses.filter(assignment__survey_sample__sector=sector)
    return responses


@receiver(response_submitted, dispatch_uid="surveys-count-surveyed")
def _on_response(sender, response: Response, **kwargs) -> None:
    sample = (
        SurveyResponse.objects.filter(assignment_id=response.assignment_id)
        .select_related("survey__deliverable", "survey__agency")
        .first()
        if response.assignment_id
        else None
    )
    if sample is not None:
        count_surveyed(sample.survey)


def count_surveyed(survey: Survey) -> None:
    """Enterprises surveyed = sampled enterprises that answered, dated by the latest
    answer."""
    latest = _answered_responses(survey).order_by("-date").values_list("date", flat=True).first()
    if survey.deliverable_id and latest:
        record_module_activity(
            source=survey,
            deliverable=survey.deliverable,
            quantity=survey.responses.answered().count(),
            date=latest,
            agency=survey.agency,
            title=_("Doanh nghiệp được khảo sát: %(t)s") % {"t": survey.title},
        )


def sector_results(survey: Survey, sector: SurveySector | None) -> SectorResults:
    """The engine's answers of one sector (or all, for the summary) as tables ready for the
    report. An enterprise that answered twice counts once, with its latest response."""
    latest: dict[int, int] = {}
    for assignment_id, pk in (
        _answered_responses(survey, sector)
        .order_by("date", "pk")
        .values_list("assignment_id", "pk")
    ):
        latest[assignment_id] = pk
    answers = Answer.objects.filter(response_id__in=latest.values()).select_related("question")
    return SectorResults.from_answers(
        title=sector.name if sector else _("Tổng hợp 3 lĩnh vực"),
        questions=list(survey.questionnaire.questions.all()),
        answers=list(answers),
        respondents=len(latest),
        sampled=survey.responses.filter(sector=sector).count()
        if sector
        else survey.responses.count(),
    )


@transaction.atomic
def generate_reports(user, survey: Survey, on: dt.date | None = None) -> list[SurveyReport]:
    """One report per sector and a summary, each as DOCX and draft PDF, each counted toward its deliverable on `on`
    (default today). A sector with no answers yet gets no report: a report of nothing would
    be counted as done."""
    check_owned(user, survey, SurveysErrorCode.CHANGE_DENIED)
    if not _answered_responses(survey).exists():
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
        name = f"survey-{survey.pk}-{'sector-' + str(sector.pk) if sector else 'summary'}"
        with translation.override("vi"):  # an official document is in Vietnamese
            pdf = build_report_pdf(report, results)
        for field, suffix, data in ((report.file, "docx", content), (report.pdf, "pdf", pdf)):
            if field:
                field.delete(save=False)
            field.save(f"{name}.{suffix}", ContentFile(data), save=False)
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
