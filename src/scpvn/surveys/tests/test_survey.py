"""The competitiveness survey on the questionnaire engine: the seeded sample (assignments of
the survey's questionnaire), answers entered through the engine under the survey's scope,
the sector results read from the engine's answers, and the DOCX reports."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from scpvn.assessments.models import Answer, Assignment, Response
from scpvn.assessments.services import ResponseInvalid, open_assignments
from scpvn.core.errors import Denied
from scpvn.core.tests import poppler
from scpvn.orgs.models import Agency, Role
from scpvn.progress.models import Activity
from scpvn.surveys import services as services
from scpvn.surveys.models import SurveyResponse
from scpvn.surveys.tests.fixtures import answer, values

pytestmark = pytest.mark.django_db


def test_sample_is_deterministic_within_sectors_and_assigns_the_questionnaire(
    survey, registry, actor
):
    services.draw_sample(actor, survey)
    first = sorted(
        survey.responses.values_list("sector__name", "enterprise__vsic_code", "enterprise_id")
    )
    assert [row[0] for row in first].count("Cơ khí") == 3
    assert all(row[1][:2] in ("25", "28") for row in first if row[0] == "Cơ khí")
    assert all(row[1].startswith("26") for row in first if row[0] == "Điện tử")
    # every sampled enterprise holds an assignment of the survey's questionnaire, run by
    # the survey's agency
    assigned = Assignment.objects.filter(questionnaire=survey.questionnaire)
    assert sorted(assigned.values_list("enterprise_id", flat=True)) == sorted(r[2] for r in first)
    assert set(assigned.values_list("agency__code", flat=True)) == {"SCT"}
    assert all(r.assignment.enterprise_id == r.enterprise_id for r in survey.responses.all())
    SurveyResponse.objects.filter(survey=survey).delete()
    assigned.delete()
    services.draw_sample(actor, survey)
    assert (
        sorted(
            survey.responses.values_list("sector__name", "enterprise__vsic_code", "enterprise_id")
        )
        == first
    )
    with pytest.raises(ValidationError, match="đã được chọn"):
        services.draw_sample(actor, survey)


def test_sample_larger_than_registry_is_refused_and_nothing_written(survey, registry, actor):
    sector = survey.sectors.get(name="Điện tử")
    sector.sample_size = 4
    sector.save()
    with pytest.raises(ValidationError, match="cần 4 doanh nghiệp nhưng sổ doanh nghiệp chỉ có 3"):
        services.draw_sample(actor, survey)
    assert not SurveyResponse.objects.exists() and not Assignment.objects.exists()


def test_bad_answers_are_refused_by_the_engine_and_nothing_written(survey, registry, actor):
    services.draw_sample(actor, survey)
    sample = survey.responses.first()
    with pytest.raises(ResponseInvalid) as error:
        answer(actor, sample, scale="7", yes="maybe", number="-3")
    assert set(error.value.errors) == {"c1", "c2", "c3"}
    assert "1, 2, 3, 4, 5" in error.value.errors["c1"]
    with pytest.raises(ResponseInvalid) as error:
        answer(actor, sample, scale="")
    assert error.value.errors == {"c1": "bắt buộc trả lời"}
    assert sample.status == "pending" and not Response.objects.exists()
    assert not Activity.objects.exists()


def test_sector_results_of_answers_entered_through_the_engine(survey, registry, actor):
    """A known answer: three mechanical firms rate 2, 4 and 5 (average 3.67), two of three
    hold ISO 14001 (66.7 %), employ 10, 20 and 30 (average 20, total 60); one electronics
    firm answers (5, no, 100). A firm answering twice counts once, with its later form."""
    services.draw_sample(actor, survey)
    mech = list(survey.responses.filter(sector__name="Cơ khí").order_by("pk"))
    elec = list(survey.responses.filter(sector__name="Điện tử").order_by("pk"))
    answer(actor, mech[0], scale="1", yes="false", number="999", on=dt.date(2020, 10, 1))
    answer(actor, mech[0], scale="2", yes="true", number="10", text="Cần hỗ trợ vốn")
    answer(actor, mech[1], scale="4", yes="false", number="20")
    answer(actor, mech[2], scale="5", yes="true", number="30")
    answer(actor, elec[0], scale="5", yes="false", number="100")

    results = services.sector_results(survey, survey.sectors.get(name="Cơ khí"))
    assert (results.sampled, results.respondents) == (3, 3)
    assert [(lbl, round(avg, 2)) for lbl, _t, avg in results.scales] == [("C1", 3.67)]
    assert [(lbl, round(v, 1)) for lbl, _t, v in results.yesno] == [("C2", 66.7)]
    assert [(lbl, avg, total) for lbl, _t, avg, total in results.numbers] == [("C3", 20.0, 60.0)]
    assert results.comments == [("C4", "Cần hỗ trợ vốn")]

    summary = services.sector_results(survey, None)
    assert (summary.sampled, summary.respondents) == (5, 4)
    assert round(summary.scales[0][2], 2) == 4.0  # (2 + 4 + 5 + 5) / 4
    assert summary.yesno[0][2] == 50.0
    assert summary.numbers[0][2:] == (40.0, 160.0)
    # the enterprises surveyed are counted as the answers arrive, dated by the latest
    counted = Activity.objects.get(deliverable=survey.deliverable)
    assert (counted.quantity, counted.date) == (4, dt.date(2020, 10, 5))


def test_reports_are_docx_with_charts_and_tables_and_count(survey, registry, actor):
    services.draw_sample(actor, survey)
    with pytest.raises(ValidationError, match="Chưa có phiếu"):
        services.generate_reports(actor, survey)
    for i, sample in enumerate(survey.responses.all()):
        answer(actor, sample, scale=str(2 + i % 4), text="Cần hỗ trợ vốn")
    assert Activity.objects.get(deliverable=survey.deliverable).quantity == 5
    reports = services.generate_reports(actor, survey)
    assert len(reports) == 3  # two sectors and the summary
    summary = next(r for r in reports if r.sector is None)
    doc = Document(io.BytesIO(summary.file.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "số phiếu trả lời: 5" in text
    assert "C4: Cần hỗ trợ vốn" in text
    assert len(doc.inline_shapes) == 2  # the scale and the yes/no charts
    assert doc.tables[0].rows[1].cells[0].text == "C1"
    # the same report as PDF: the Decree 30 layout, in the one document typeface
    pdf = summary.pdf.read()
    poppler.assert_one_serif_family(pdf)
    words = poppler.text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words and "Số: " in words
    assert "số phiếu trả lời 5" in words and "C4: Cần hỗ trợ vốn" in words
    assert "Nơi nhận:" in words and "Lưu: VT" in words
    assert survey.summary_deliverable.activities.get().quantity == 1
    services.generate_reports(actor, survey)  # regenerating replaces, it does not count twice
    assert survey.summary_deliverable.activities.count() == 1


def test_officer_enters_a_paper_form_on_the_engines_answer_page(client, users, survey, registry):
    services.draw_sample(users["city_admin"], survey)
    sample = survey.responses.select_related("enterprise").first()
    client.force_login(users["agency_officer"])
    page = client.get(survey.get_absolute_url()).content.decode()
    url = reverse(
        "assessments:answer", args=[survey.questionnaire.pk, "enterprise", sample.enterprise_id]
    )
    # The survey page links to the answer page and back: the officer entering a pile of
    # paper forms returns to the sample after each one.
    url = f"{url}?next={survey.get_absolute_url()}"
    assert url in page
    bad = client.post(url, {"date": "2020-10-05", "c1": "", "c2": "true", "c3": "12"})
    assert bad.status_code == 200 and not Response.objects.exists()
    saved = client.post(url, {"date": "2020-10-05", "c1": "4", "c2": "true", "c3": "12"})
    assert saved.url == survey.get_absolute_url()
    response = Response.objects.get()
    assert response.assignment == sample.assignment and response.date == dt.date(2020, 10, 5)
    assert response.answers.get(question__code="c2").boolean is True
    sample.refresh_from_db()
    assert sample.status == "answered"
    assert (
        reverse("assessments:response_detail", args=[response.pk])
        in client.get(survey.get_absolute_url()).content.decode()
    )


def test_only_the_surveying_agency_enters_answers_and_the_enterprise_its_own(
    client, users, survey, registry
):
    """Officers of another agency reach the enterprise (they may answer other
    questionnaires for it) but not the Sở Công Thương survey's form; the enterprise answers
    its own form whoever runs the survey."""
    services.draw_sample(users["city_admin"], survey)
    sample = survey.responses.select_related("enterprise").first()
    other = users["agency_officer"]
    other.agency = Agency.objects.get(code="STNMT")
    other.save()
    with pytest.raises(Denied) as refused:
        answer(other, sample)
    assert refused.value.code == "assessments.assignment_out_of_scope"
    client.force_login(other)
    url = reverse(
        "assessments:answer", args=[survey.questionnaire.pk, "enterprise", sample.enterprise_id]
    )
    assert client.get(url).status_code == 403
    assert client.post(url, {"date": "2020-10-05", **values()}).status_code == 403
    assert not Response.objects.exists()

    member = users["enterprise_user"]
    sample.enterprise.members.add(member)
    client.force_login(member)
    client.post(url, {"date": "2020-10-05", **values(scale="3")})
    assert (
        Answer.objects.get(question__code="c1", response__assignment=sample.assignment).text == "3"
    )
    assert member.role == Role.ENTERPRISE_USER


def test_a_next_link_off_the_site_is_not_followed(client, users, survey, registry):
    services.draw_sample(users["city_admin"], survey)
    sample = survey.responses.first()
    client.force_login(users["agency_officer"])
    url = reverse(
        "assessments:answer", args=[survey.questionnaire.pk, "enterprise", sample.enterprise_id]
    )
    saved = client.post(
        f"{url}?next=https://evil.example/", {"date": "2020-10-05", **values(scale="4")}
    )
    assert saved.url == reverse("assessments:response_detail", args=[Response.objects.get().pk])


def test_decline_marks_a_pending_sample_and_not_an_answered_one(client, users, survey, registry):
    services.draw_sample(users["city_admin"], survey)
    pending, answered = survey.responses.order_by("pk")[:2]
    answer(users["city_admin"], answered)
    client.force_login(users["agency_officer"])
    client.post(reverse("network:response-decline", args=[pending.pk]))
    client.post(reverse("network:response-decline", args=[answered.pk]))
    pending.refresh_from_db()
    answered.refresh_from_db()
    assert (pending.status, answered.status) == ("declined", "answered")
    assert not answered.declined


def test_a_declined_enterprise_leaves_the_lists_to_answer(client, users, survey, registry):
    services.draw_sample(users["city_admin"], survey)
    declined, waiting = survey.responses.order_by("pk")[:2]
    officer = users["agency_officer"]
    member = users["enterprise_user"]
    declined.enterprise.members.add(member)
    to_answer = set(open_assignments(officer).values_list("pk", flat=True))
    assert {declined.assignment_id, waiting.assignment_id} <= to_answer
    assert [a.pk for a in open_assignments(member)] == [declined.assignment_id]

    services.decline(officer, declined)
    to_answer = set(open_assignments(officer).values_list("pk", flat=True))
    assert waiting.assignment_id in to_answer
    assert declined.assignment_id not in to_answer
    assert not open_assignments(member).exists()


def test_api_lists_the_sample_with_status_and_the_engines_response(client, users, survey, registry):
    services.draw_sample(users["city_admin"], survey)
    sample = survey.responses.order_by("pk").first()
    response = answer(users["city_admin"], sample)
    client.force_login(users["city_admin"])
    rows = client.get("/api/network/survey-responses/", {"status": "answered"}).json()
    rows = rows.get("results", rows)
    assert [(r["id"], r["status"], r["response"]) for r in rows] == [
        (sample.pk, "answered", response.pk)
    ]
    pending = client.get("/api/network/survey-responses/", {"status": "pending"}).json()
    assert len(pending.get("results", pending)) == 4
