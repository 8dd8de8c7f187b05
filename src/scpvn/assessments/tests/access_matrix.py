from django.urls import reverse

from scpvn.core.tests.matrix import IN_WORLD, NOBODY, PUBLIC, SIGNED_IN, STAFF, Rule, Write

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


# Commune and ward officers make visits too (on their own ward's places).
FIELD = frozenset({"city_admin", "agency_officer", "district_officer", "commune_officer"})


def published_form(w) -> dict:
    """A form published by the agency officer's department (the world's SCT)."""
    from scpvn.assessments.models import PublishedForm
    from scpvn.assessments.publishing import publish_form
    from scpvn.assessments.tests.xlsforms import workbook

    form = PublishedForm.objects.first() or publish_form(w.users["agency_officer"], workbook())
    return {"pk": form.pk}


def places_media(w) -> dict:
    return {**published_form(w), "filename": "places.csv"}


def visit(w) -> dict:
    """A visit sent by the district officer (in Đống Đa) to a form of the world's SCT: every
    staff role reaches it (the SCT's reviewer and officer through the form, the district
    officer as its sender)."""
    import datetime as dt

    from scpvn.assessments.models import Submission
    from scpvn.assessments.services import submit_response
    from scpvn.registry.models import Place

    existing = Submission.objects.first()
    if existing is not None:
        return {"pk": existing.pk}
    form = published_form(w)
    place = Place.objects.filter(
        district__code="006", kind="market"
    ).first() or Place.objects.create(
        kind="market", name="Chợ Văn Chương", district=w.enterprise.district
    )
    officer = w.users["district_officer"]
    response = submit_response(
        questionnaire=form_model(form["pk"]).questionnaire,
        subject=place,
        date=dt.date(2020, 6, 1),
        values={"tui_mien_phi": "no"},
        user=officer,
        count=False,
    )
    created = Submission.objects.create(
        instance_id="uuid:matrix-visit",
        form_id=form["pk"],
        response=response,
        xml="<data/>",
        submitted_by=officer,
    )
    return {"pk": created.pk}


def form_model(pk: int):
    from scpvn.assessments.models import PublishedForm

    return PublishedForm.objects.get(pk=pk)


def visit_action(w) -> dict:
    return {**visit(w), "action": "accept"}


REVIEW_POST = "POST only; accepting and returning are tested in test_visit_review"
TOKEN_URL = "the device's token in the URL decides who asks; tested in test_xlsform_openrosa"

RULES = {
    "assessments:questionnaire_list": Rule(get=SIGNED_IN),
    "assessments:questionnaire_detail": Rule(get=SIGNED_IN, kwargs=questionnaire),
    "assessments:answer": Rule(get=ANSWER, kwargs=answer_kwargs),
    "assessments:response_list": Rule(get=SIGNED_IN),
    "assessments:response_detail": Rule(get=IN_WORLD, kwargs=response),
    "assessments:photo": Rule(
        get=SIGNED_IN,
        skip="serves an uploaded photo; its scoping is tested in assessments/tests/test_views",
    ),
    "assessments:repeat_photo": Rule(
        get=SIGNED_IN,
        skip="serves a photo taken in a repeat group; its scoping is tested in test_repeat_photos",
    ),
    "questionnaire-list": Rule(get=SIGNED_IN),
    "questionnaire-detail": Rule(get=SIGNED_IN, kwargs=questionnaire),
    "response-list": Rule(get=SIGNED_IN),
    "response-detail": Rule(get=IN_WORLD, kwargs=response),
    "assessments:form_list": Rule(get=FIELD | {"reviewer"}),
    "assessments:form_fill": Rule(get=FIELD, kwargs=published_form),
    # The browser form's service worker: code only, the same for everyone.
    "assessments:form_fill_sw": Rule(get=PUBLIC),
    "published-form-list": Rule(get=FIELD | {"reviewer"}),
    "published-form-detail": Rule(get=FIELD | {"reviewer"}, kwargs=published_form),
    "openrosa:form-list": Rule(get=FIELD),
    "openrosa:form": Rule(get=FIELD, kwargs=published_form),
    "openrosa:manifest": Rule(get=FIELD, kwargs=published_form),
    "openrosa:media": Rule(get=FIELD, kwargs=places_media),
    "openrosa:submission": Rule(
        get=FIELD, skip="HEAD and multipart POST from devices; tested in test_xlsform_openrosa"
    ),
    "openrosa:key-form-list": Rule(get=FIELD, skip=TOKEN_URL),
    "openrosa:key-form": Rule(get=FIELD, skip=TOKEN_URL),
    "openrosa:key-manifest": Rule(get=FIELD, skip=TOKEN_URL),
    "openrosa:key-media": Rule(get=FIELD, skip=TOKEN_URL),
    "openrosa:key-submission": Rule(get=FIELD, skip=TOKEN_URL),
    # Visits sent from the field: staff read those in their scope (an empty list for some);
    # accepting and returning are tested in test_visit_review (role and scope).
    "assessments:visit_list": Rule(get=STAFF),
    "assessments:visit_detail": Rule(get=STAFF & IN_WORLD, kwargs=visit),
    "assessments:visit_action": Rule(
        get=NOBODY, kwargs=visit_action, skip="POST only; tested in test_visit_review"
    ),
    "visit-list": Rule(get=STAFF),
    "visit-detail": Rule(get=STAFF & IN_WORLD, kwargs=visit),
    "visit-accept": Rule(get=NOBODY, kwargs=visit, skip=REVIEW_POST),
    "visit-return": Rule(get=NOBODY, kwargs=visit, skip=REVIEW_POST),
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
