"""The competitiveness survey: seeded sampling, answers, and the DOCX reports."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from scpvn.progress.models import Activity
from scpvn.surveys import services as services
from scpvn.surveys.models import Question, Survey, SurveyResponse, SurveySector

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(sct, deliverable, mini_plan):
    s = Survey.objects.create(
        title="Khảo sát 2020",
        year=2020,
        seed=7,
        agency=sct,
        deliverable=deliverable,
        summary_deliverable=mini_plan.tasks.get(number=2).deliverables.get(),
    )
    SurveySector.objects.create(
        survey=s,
        name="Cơ khí",
        vsic_prefixes=["25", "28"],
        sample_size=3,
        report_deliverable=mini_plan.tasks.get(number=1).deliverables.get(code="1.2"),
    )
    SurveySector.objects.create(survey=s, name="Điện tử", vsic_prefixes=["26"], sample_size=2)
    for order, (text, kind) in enumerate(
        [
            ("Mức độ áp dụng SXSH", "scale"),
            ("Có ISO 14001?", "yesno"),
            ("Số lao động", "number"),
            ("Kiến nghị", "text"),
        ],
        start=1,
    ):
        Question.objects.create(survey=s, order=order, text=text, kind=kind)
    return s


@pytest.fixture
def registry(make_enterprise):
    mech = [make_enterprise("2511") for _ in range(3)] + [make_enterprise("2819") for _ in range(2)]
    elec = [make_enterprise("2610") for _ in range(3)]
    make_enterprise("4711")  # retail: in no sector
    return mech, elec


def answers(survey, scale="4", yes="yes", number="120", text=""):
    q = {x.kind: str(x.pk) for x in survey.questions.all()}
    return {q["scale"]: scale, q["yesno"]: yes, q["number"]: number, q["text"]: text}


def test_sample_is_deterministic_and_within_sectors(survey, registry, actor):
    services.draw_sample(actor, survey)
    first = sorted(
        survey.responses.values_list("sector__name", "enterprise__vsic_code", "enterprise_id")
    )
    assert [row[0] for row in first].count("Cơ khí") == 3
    assert all(row[1][:2] in ("25", "28") for row in first if row[0] == "Cơ khí")
    assert all(row[1].startswith("26") for row in first if row[0] == "Điện tử")
    survey.responses.all().delete()
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
    assert not SurveyResponse.objects.exists()


def test_bad_answers_are_refused_and_nothing_written(survey, registry, actor):
    services.draw_sample(actor, survey)
    response = survey.responses.first()
    with pytest.raises(ValidationError) as error:
        services.record_answers(
            actor, response, answers(survey, scale="7", yes="maybe", number="-3")
        )
    assert len(error.value.messages) == 3 and "C1: chọn từ 1 đến 5" in error.value.messages
    response.refresh_from_db()
    assert response.status == "pending" and response.answers == {}
    assert not Activity.objects.exists()


def test_reports_are_docx_with_charts_and_tables_and_count(survey, registry, actor):
    services.draw_sample(actor, survey)
    with pytest.raises(ValidationError, match="Chưa có phiếu"):
        services.generate_reports(actor, survey)
    for i, response in enumerate(survey.responses.all()):
        services.record_answers(
            actor, response, answers(survey, scale=str(2 + i % 4), text="Cần hỗ trợ vốn")
        )
    assert Activity.objects.get(deliverable=survey.deliverable).quantity == 5
    reports = services.generate_reports(actor, survey)
    assert len(reports) == 3  # two sectors and the summary
    summary = next(r for r in reports if r.sector is None)
    doc = Document(io.BytesIO(summary.file.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "số phiếu trả lời: 5" in text
    assert len(doc.inline_shapes) == 2  # the scale and the yes/no charts
    assert doc.tables[0].rows[1].cells[0].text == "C1"
    assert survey.summary_deliverable.activities.get().quantity == 1
    services.generate_reports(actor, survey)  # regenerating replaces, it does not count twice
    assert survey.summary_deliverable.activities.count() == 1


def test_officer_enters_answers_on_the_page(client, users, survey, registry, actor):
    services.draw_sample(actor, survey)
    response = survey.responses.first()
    client.force_login(users["agency_officer"])
    url = reverse("network:response", args=[response.pk])
    bad = client.post(url, {f"q{k}": v for k, v in answers(survey, scale="").items()})
    assert bad.status_code == 400 and "C1: chưa trả lời" in bad.content.decode()
    client.post(url, {f"q{k}": v for k, v in answers(survey).items()})
    response.refresh_from_db()
    assert (
        response.status == "answered"
        and response.answers[str(survey.questions.get(order=2).pk)] is True
    )
