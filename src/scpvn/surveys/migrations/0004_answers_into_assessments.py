"""Each survey's own questions become a questionnaire of the engine, each sampled enterprise
an assignment of it, each answered form a Response with its Answers.

Reversible: going back rebuilds the survey's own questions from its questionnaire (a code
`cN` is question N), each sample's status and answer JSON from its latest response (dated
at midnight of the response's day: the engine keeps the day, not the time), and removes the
engine rows this step made (the questionnaire too when it was made for this survey alone)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import migrations
from django.utils import timezone

# The competitiveness questionnaire the 2020 survey was run on; a survey whose questions
# are exactly these points at it, any other gets a questionnaire of its own.
STANDARD = (
    Path(__file__).resolve().parents[2] / "assessments" / "data" / "nang-luc-canh-tranh-2020.xlsx"
)
TYPE_OF_KIND = {"scale": "single", "yesno": "yes_no", "number": "number", "text": "text"}
SCALE = [{"value": str(v), "label": str(v)} for v in range(1, 6)]


def _engine_questions(survey) -> list[dict]:
    return [
        {
            "code": f"c{q.order}",
            "order": i,
            "text": q.text,
            "type": TYPE_OF_KIND[q.kind],
            "choices": SCALE if q.kind == "scale" else [],
            "unit": "",
            "required": q.kind != "text",
        }
        for i, q in enumerate(survey.questions.order_by("order"))
    ]


def _standard() -> tuple[dict, list[dict]]:
    # The shipped XLSForm, read as the questionnaire engine reads it.
    from scpvn.assessments.services import read_shipped_form

    compiled = read_shipped_form(STANDARD)
    spec = {
        "code": compiled.form_id,
        "version": int(compiled.version),
        "title": compiled.title,
        "description": compiled.description,
    }
    questions = [
        {
            "code": field.code,
            "order": i,
            "text": field.text,
            "type": field.type,
            "choices": field.choices,
            "unit": field.unit,
            "required": field.required,
        }
        for i, field in enumerate(compiled.fields)
    ]
    return spec, questions


def _same(a: list[dict], b: list[dict]) -> bool:
    keys = ("code", "text", "type", "choices", "required")
    return [[q[k] for k in keys] for q in a] == [[q[k] for k in keys] for q in b]


def _questionnaire_for(apps, survey):
    Questionnaire = apps.get_model("assessments", "Questionnaire")
    Question = apps.get_model("assessments", "Question")
    Survey = apps.get_model("surveys", "Survey")
    own = _engine_questions(survey)
    spec, standard = _standard()
    taken = Survey.objects.filter(
        questionnaire__code=spec["code"], questionnaire__version=spec["version"]
    ).exists()
    if _same(own, standard) and not taken:
        questionnaire, created = Questionnaire.objects.get_or_create(
            code=spec["code"],
            version=spec["version"],
            defaults={
                "title": spec["title"],
                "description": spec.get("description", ""),
                "subject": "enterprise",
            },
        )
        questions = standard if created else []
    else:
        questionnaire = Questionnaire.objects.create(
            code=f"KS-{survey.pk}", version=1, title=survey.title, subject="enterprise"
        )
        questions = own
    for fields in questions:
        Question.objects.create(questionnaire=questionnaire, **fields)
    return questionnaire


def _answer_fields(kind: str, value) -> dict:
    if kind == "scale":
        return {"text": str(int(value))}
    if kind == "yesno":
        return {"boolean": bool(value)}
    if kind == "number":
        return {"number": Decimal(str(value))}
    return {"text": str(value)}


def forward(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Assignment = apps.get_model("assessments", "Assignment")
    Response = apps.get_model("assessments", "Response")
    Answer = apps.get_model("assessments", "Answer")
    EngineQuestion = apps.get_model("assessments", "Question")
    for survey in Survey.objects.order_by("pk"):
        survey.questionnaire = _questionnaire_for(apps, survey)
        survey.save(update_fields=["questionnaire"])
        engine = {
            q.code: q for q in EngineQuestion.objects.filter(questionnaire=survey.questionnaire)
        }
        old = {str(q.pk): q for q in survey.questions.all()}
        for sample in survey.responses.select_related("enterprise__district").order_by("pk"):
            sample.assignment = Assignment.objects.create(
                questionnaire=survey.questionnaire,
                enterprise=sample.enterprise,
                agency_id=survey.agency_id,
            )
            sample.declined = sample.status == "declined"
            sample.save(update_fields=["assignment", "declined"])
            if sample.status != "answered":
                continue
            # A form recorded without a time (never by the app) is dated at the year's end.
            on = (
                timezone.localdate(sample.answered_at)
                if sample.answered_at
                else dt.date(survey.year, 12, 31)
            )
            response = Response.objects.create(
                questionnaire=survey.questionnaire,
                assignment=sample.assignment,
                enterprise=sample.enterprise,
                district_id=sample.enterprise.district_id,
                # as geo.placing.unit_on: the enterprise's own unit, else its old district's
                unit_id=sample.enterprise.unit_id
                or (sample.enterprise.district.unit_id if sample.enterprise.district_id else None),
                date=on,
            )
            for key, value in sample.answers.items():
                question = old.get(key)
                if question is None or value in ("", None):
                    continue
                Answer.objects.create(
                    response=response,
                    question=engine[f"c{question.order}"],
                    **_answer_fields(question.kind, value),
                )


KIND_OF_TYPE = {"yes_no": "yesno", "number": "number", "text": "text"}


def _old_value(kind: str, answer):
    if kind == "scale":
        return int(answer.text)
    if kind == "yesno":
        return answer.boolean
    if kind == "number":
        return float(answer.number)
    return answer.text


def backward(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    OldQuestion = apps.get_model("surveys", "Question")
    Assignment = apps.get_model("assessments", "Assignment")
    Response = apps.get_model("assessments", "Response")
    Answer = apps.get_model("assessments", "Answer")
    for survey in Survey.objects.exclude(questionnaire=None).select_related("questionnaire"):
        old = {}
        for i, q in enumerate(survey.questionnaire.questions.order_by("order"), start=1):
            scale = q.type == "single" and all(str(c["value"]).isdigit() for c in q.choices)
            kind = "scale" if scale else KIND_OF_TYPE.get(q.type)
            if kind is None:
                continue  # dates, photos, named choices: the old survey had no such question
            order = int(q.code[1:]) if q.code[:1] == "c" and q.code[1:].isdigit() else i
            old[q.pk] = OldQuestion.objects.create(
                survey=survey, order=order, text=q.text, kind=kind
            )
        assignments = []
        for sample in survey.responses.exclude(assignment=None).order_by("pk"):
            latest = (
                Response.objects.filter(assignment=sample.assignment_id)
                .order_by("-date", "-pk")
                .first()
            )
            sample.status = "declined" if sample.declined else "pending"
            sample.answers, sample.answered_at = {}, None
            if latest is not None:
                sample.status = "answered"
                sample.answered_at = timezone.make_aware(
                    dt.datetime.combine(latest.date, dt.time())
                )
                for answer in Answer.objects.filter(response=latest, question__in=list(old)):
                    question = old[answer.question_id]
                    sample.answers[str(question.pk)] = _old_value(question.kind, answer)
            assignments.append(sample.assignment_id)
            sample.assignment = None
            sample.save()
        Response.objects.filter(assignment__in=assignments).delete()
        Assignment.objects.filter(pk__in=assignments).delete()
        questionnaire = survey.questionnaire
        survey.questionnaire = None
        survey.save(update_fields=["questionnaire"])
        if questionnaire.code == f"KS-{survey.pk}":
            questionnaire.delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_sample_on_questionnaire_engine")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
