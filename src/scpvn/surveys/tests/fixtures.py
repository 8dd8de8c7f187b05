"""A competitiveness survey to test with (its questionnaire of a scale, a yes/no, a number
and a comment; two sectors; a registry to sample from) and answers entered through the
engine. Shared by the survey tests and the tests that issue its reports."""

import datetime as dt

import pytest

from scpvn.assessments.models import Question, Questionnaire
from scpvn.assessments.services import submit_response
from scpvn.surveys.models import Survey, SurveySector

SCALE = [{"value": str(v), "label": str(v)} for v in range(1, 6)]


@pytest.fixture
def questionnaire(db):
    q = Questionnaire.objects.create(
        code="NLCT-TEST", version=1, title="Khảo sát năng lực", subject="enterprise"
    )
    for order, (code, text, kind, choices, required) in enumerate(
        [
            ("c1", "Mức độ áp dụng SXSH", "single", SCALE, True),
            ("c2", "Có ISO 14001?", "yes_no", [], True),
            ("c3", "Số lao động", "number", [], True),
            ("c4", "Kiến nghị", "text", [], False),
        ]
    ):
        Question.objects.create(
            questionnaire=q,
            code=code,
            order=order,
            text=text,
            type=kind,
            choices=choices,
            required=required,
        )
    return q


@pytest.fixture
def survey(sct, deliverable, mini_plan, questionnaire):
    s = Survey.objects.create(
        title="Khảo sát 2020",
        year=2020,
        seed=7,
        agency=sct,
        questionnaire=questionnaire,
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
    return s


@pytest.fixture
def registry(make_enterprise):
    mech = [make_enterprise("2511") for _ in range(3)] + [make_enterprise("2819") for _ in range(2)]
    elec = [make_enterprise("2610") for _ in range(3)]
    make_enterprise("4711")  # retail: in no sector
    return mech, elec


def values(scale="4", yes="true", number="120", text=""):
    return {"c1": scale, "c2": yes, "c3": number, "c4": text}


def answer(user, sample, on=dt.date(2020, 10, 5), **kwargs):
    return submit_response(
        questionnaire=sample.survey.questionnaire,
        subject=sample.enterprise,
        date=on,
        values=values(**kwargs),
        user=user,
    )
