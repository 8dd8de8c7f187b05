from django.urls import reverse

from scpvn.core.tests.matrix import SIGNED_IN, Rule, Write

ANSWER = frozenset({"city_admin", "agency_officer", "district_officer", "enterprise_user"})


def questionnaire(w) -> dict:
    from scpvn.assessments.models import Questionnaire

    return {"pk": Questionnaire.objects.get(code="SXSH-PP").pk}


def answer_kwargs(w) -> dict:
    return {**questionnaire(w), "kind": "enterprise", "subject": w.enterprise.pk}


def response(w) -> dict:
    import datetime as dt

    from scpvn.assessments.models import Questionnaire
    from scpvn.assessments.services import submit_response

    created = submit_response(
        questionnaire=Questionnaire.objects.get(code="SXSH-PP"),
        subject=w.enterprise,
        date=dt.date(2020, 6, 1),
        values={"muc_do": "ap_dung"},
        user=w.users["city_admin"],
    )
    return {"pk": created.pk}


RULES = {
    "assessments:questionnaire_list": Rule(get=SIGNED_IN),
    "assessments:questionnaire_detail": Rule(get=SIGNED_IN, kwargs=questionnaire),
    "assessments:answer": Rule(get=ANSWER, kwargs=answer_kwargs),
    "assessments:response_list": Rule(get=SIGNED_IN),
    "assessments:response_detail": Rule(get=SIGNED_IN, kwargs=response),
    "assessments:photo": Rule(
        get=SIGNED_IN,
        skip="serves an uploaded photo; its scoping is tested in assessments/tests/test_views",
    ),
    "questionnaire-list": Rule(get=SIGNED_IN),
    "questionnaire-detail": Rule(get=SIGNED_IN, kwargs=questionnaire),
    "response-list": Rule(get=SIGNED_IN),
    "response-detail": Rule(get=SIGNED_IN, kwargs=response),
}


def subjects(w) -> dict:
    """The world's enterprise (in the district officer's district, the enterprise user a
    member) and one in another district that nobody there belongs to."""
    from scpvn.geo.models import District
    from scpvn.registry.models import Enterprise

    elsewhere = Enterprise.objects.create(
        tax_code="0101248141",
        name="Công ty ở quận khác",
        district=District.objects.exclude(code="006").first(),
        vsic_code="4711",
    )
    return {"own": w.enterprise, "elsewhere": elsewhere}


def answer_body(w, enterprise) -> dict:
    return {
        **{"questionnaire": questionnaire(w)["pk"], "enterprise": enterprise.pk},
        "date": "2020-06-01",
        "values": {"muc_do": "ap_dung"},
    }


# Officers answer for subjects in their scope, an enterprise for itself; reviewers only read.
WRITES = [
    Write(
        "api answer",
        subjects,
        {
            "city_admin": frozenset({"own", "elsewhere"}),
            "agency_officer": frozenset({"own", "elsewhere"}),
            "district_officer": frozenset({"own"}),
            "enterprise_user": frozenset({"own"}),
        },
        lambda w, e: reverse("response-list"),
        lambda enterprise: enterprise.responses.exists(),
        data=answer_body,
    ),
]
