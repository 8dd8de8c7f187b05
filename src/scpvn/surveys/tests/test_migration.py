"""The move of the survey's own answers into the questionnaire engine (migrations 0003–0005),
forward on a survey filled the old way, then back."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("surveys", "0003_sample_on_questionnaire_engine")]
AFTER = [("surveys", "0005_drop_own_questions")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.once_on_postgresql  # replays the migrations: the production engine is the one to check
@pytest.mark.django_db(transaction=True)
def test_old_answers_move_into_responses_and_back(reference_data):
    old = migrate(BEFORE)
    try:
        Agency = old.get_model("orgs", "Agency")
        Enterprise = old.get_model("registry", "Enterprise")
        District = old.get_model("geo", "District")
        Survey = old.get_model("surveys", "Survey")
        agency, _ = Agency.objects.get_or_create(code="SCT", defaults={"name": "Sở Công Thương"})
        survey = Survey.objects.create(title="Khảo sát cũ", year=2020, agency=agency)
        sector = survey.sectors.create(name="Cơ khí", vsic_prefixes=["25"])
        kinds = [("Mức độ SXSH", "scale"), ("Có ISO?", "yesno"), ("Lao động", "number")]
        questions = [
            survey.questions.create(order=i, text=text, kind=kind)
            for i, (text, kind) in enumerate([*kinds, ("Kiến nghị", "text")], start=1)
        ]
        district = District.objects.get(code="006")
        firms = [
            Enterprise.objects.create(
                tax_code=f"010000000{i}", name=f"Công ty {i}", district=district, vsic_code="2511"
            )
            for i in range(3)
        ]
        answered_at = timezone.make_aware(dt.datetime(2020, 10, 5, 9, 30))
        survey.responses.create(
            sector=sector,
            enterprise=firms[0],
            status="answered",
            answered_at=answered_at,
            answers={
                str(questions[0].pk): 4,
                str(questions[1].pk): True,
                str(questions[2].pk): 120.0,
                str(questions[3].pk): "Cần vốn",
            },
        )
        survey.responses.create(sector=sector, enterprise=firms[1], status="declined")
        survey.responses.create(sector=sector, enterprise=firms[2])

        new = migrate(AFTER)
        survey = new.get_model("surveys", "Survey").objects.get(pk=survey.pk)
        # not the standard questionnaire's questions: a questionnaire of its own
        assert (survey.questionnaire.code, survey.questionnaire.subject) == (
            f"KS-{survey.pk}",
            "enterprise",
        )
        engine = {q.code: q for q in survey.questionnaire.questions.all()}
        assert {c: (q.type, q.required) for c, q in engine.items()} == {
            "c1": ("single", True),
            "c2": ("yes_no", True),
            "c3": ("number", True),
            "c4": ("text", False),
        }
        samples = {s.enterprise_id: s for s in survey.responses.select_related("assignment")}
        assert all(s.assignment.agency_id == agency.pk for s in samples.values())
        assert [samples[f.pk].declined for f in firms] == [False, True, False]
        Response = new.get_model("assessments", "Response")
        response = Response.objects.get()
        assert response.assignment_id == samples[firms[0].pk].assignment_id
        assert response.date == dt.date(2020, 10, 5) and response.district_id == district.pk
        answers = {a.question.code: a for a in response.answers.select_related("question")}
        assert answers["c1"].text == "4" and answers["c2"].boolean is True
        assert answers["c3"].number == Decimal("120") and answers["c4"].text == "Cần vốn"

        back = migrate(BEFORE)
        survey = back.get_model("surveys", "Survey").objects.get(pk=survey.pk)
        assert survey.questionnaire_id is None
        assert not back.get_model("assessments", "Response").objects.exists()
        assert (
            not back.get_model("assessments", "Questionnaire")
            .objects.filter(code=f"KS-{survey.pk}")
            .exists()
        )
        rows = {r.enterprise_id: r for r in survey.responses.all()}
        assert [rows[f.pk].status for f in firms] == ["answered", "declined", "pending"]
        by_text = {q.text: str(q.pk) for q in survey.questions.all()}
        assert rows[firms[0].pk].answers == {
            by_text["Mức độ SXSH"]: 4,
            by_text["Có ISO?"]: True,
            by_text["Lao động"]: 120.0,
            by_text["Kiến nghị"]: "Cần vốn",
        }
    finally:
        migrate(AFTER)
