"""Questionnaires as data; answering by officers and by the enterprise itself, in scope."""

import datetime as dt

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.models import Answer, Assignment, Questionnaire, Response
from scpvn.assessments.services import (
    DATA_DIR,
    ResponseInvalid,
    load_questionnaires,
    questions_of,
    submit_response,
)
from scpvn.geo.models import District
from scpvn.registry.models import Enterprise, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users):
    own = Enterprise.objects.create(
        tax_code="0100109106",
        name="Siêu thị Xanh",
        district=District.objects.get(code="006"),
        vsic_code="47111",
        distribution="supermarket",
    )
    own.members.add(users["enterprise_user"])
    other = Enterprise.objects.create(
        tax_code="0100233583",
        name="Siêu thị Đỏ",
        district=District.objects.get(code="001"),
        vsic_code="47111",
        distribution="supermarket",
    )
    survey = Questionnaire.objects.get(code="SXSH-PP")
    Assignment.objects.create(questionnaire=survey, enterprise=own)
    return {"own": own, "other": other, "survey": survey, **users}


def answer_url(questionnaire, subject, kind="enterprise") -> str:
    return reverse("assessments:answer", args=[questionnaire.pk, kind, subject.pk])


def test_the_seven_questionnaires_load_idempotently_and_freeze_once_answered(world, tmp_path):
    assert set(Questionnaire.objects.values_list("code", flat=True)) == {
        "SXSH-PP", "CNS-KCN", "BB-CHO", "NILON-ST", "SX-BBN", "CHUOI-ATTP", "NLCT-2020",
    }  # fmt: skip
    assert load_questionnaires() == 7
    types = set(world["survey"].questions.values_list("type", flat=True))
    assert types == {"single", "multiple", "number", "yes_no", "text"}
    submit_response(
        questionnaire=world["survey"],
        subject=world["own"],
        date=dt.date(2020, 5, 1),
        values={"muc_do": "ap_dung"},
        user=world["city_admin"],
    )
    book = openpyxl.load_workbook(DATA_DIR / "sxsh-phan-phoi.xlsx")
    label = next(c for row in book["choices"].iter_rows() for c in row if c.value == "Có nhận thức")
    label.value = "Biết"
    book.save(tmp_path / "sxsh.xlsx")
    with pytest.raises(ValueError, match="tăng version"):
        load_questionnaires(directory=tmp_path)
    book["settings"]["B2"] = "2"
    book.save(tmp_path / "sxsh.xlsx")
    load_questionnaires(directory=tmp_path)
    assert list(
        Questionnaire.objects.filter(code="SXSH-PP").values_list("version", "is_active")
    ) == [(2, True), (1, False)]


def test_enterprise_answers_its_own_assignment_through_its_account(client, world):
    client.force_login(world["enterprise_user"])
    listing = client.get(reverse("assessments:questionnaire_list"))
    assert answer_url(world["survey"], world["own"]) in listing.text
    response = client.post(
        answer_url(world["survey"], world["own"]),
        {
            "date": "2020-06-15",
            "muc_do": "huong_dan",
            "giai_phap": ["den_led", "giam_bao_bi"],
            "dien_tieu_thu": "1200,5",
        },
        follow=True,
    )
    assert "Đã ghi phiếu trả lời" in response.text
    saved = Response.objects.get()
    assert (saved.enterprise, saved.submitted_by, saved.district.code) == (
        world["own"], world["enterprise_user"], "006",
    )  # fmt: skip
    assert saved.assignment.enterprise == world["own"]
    values = {a.question.code: a.display for a in saved.answers.select_related("question")}
    assert values == {
        "muc_do": "Đã được hướng dẫn",
        "giai_phap": "Chiếu sáng LED, Giảm bao bì, túi nilon",
        "dien_tieu_thu": "1200.5",
    }
    listing = client.get(reverse("assessments:questionnaire_list"))
    assert answer_url(world["survey"], world["own"]) not in listing.text  # done
    # …but not for another enterprise, nor as a reviewer
    assert client.get(answer_url(world["survey"], world["other"])).status_code == 404
    client.force_login(world["reviewer"])
    assert client.get(answer_url(world["survey"], world["own"])).status_code == 403


def test_district_officer_answers_only_in_their_district(client, world):
    client.force_login(world["district_officer"])  # Đống Đa
    assert client.get(answer_url(world["survey"], world["own"])).status_code == 200
    assert client.get(answer_url(world["survey"], world["other"])).status_code == 404
    client.post(
        answer_url(world["survey"], world["other"]), {"date": "2020-06-15", "muc_do": "ap_dung"}
    )
    assert Response.objects.count() == 0


def test_missing_required_answer_and_wrong_values_write_nothing(client, world):
    client.force_login(world["agency_officer"])
    response = client.post(answer_url(world["survey"], world["own"]), {"date": "2020-06-15"})
    assert response.status_code == 200 and "This field is required" not in response.text
    assert "muc_do" in response.context["form"].errors
    with pytest.raises(ResponseInvalid) as error:
        submit_response(
            questionnaire=world["survey"],
            subject=world["own"],
            date=dt.date(2020, 6, 1),
            values={"muc_do": "khong_co", "dien_tieu_thu": "nhiều", "la": 1},
            user=world["agency_officer"],
        )
    assert set(error.value.errors) == {"muc_do", "dien_tieu_thu", "la"}
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_inspection_with_photo_and_photo_scope(client, world):
    shop = Place.objects.create(
        kind="supermarket",
        name="Siêu thị Xanh Láng Hạ",
        district=world["own"].district,
        operator=world["own"],
    )
    inspection = Questionnaire.objects.get(code="NILON-ST")
    client.force_login(world["district_officer"])
    photo = SimpleUploadedFile("quay.png", sample_photo(), content_type="image/png")
    client.post(
        answer_url(inspection, shop, "place"),
        {"date": "2020-07-01", "dung_tui_kho_phan_huy": "false", "anh_minh_chung": photo},
    )
    answer = Answer.objects.exclude(photo="").get()
    assert answer.response.place == shop
    url = reverse("assessments:photo", args=[answer.pk])
    assert client.get(url).status_code == 200
    client.force_login(world["enterprise_user"])  # operates the supermarket
    assert b"".join(client.get(url).streaming_content) == sample_photo()
    world["own"].members.clear()
    assert client.get(url).status_code == 404


def test_api_records_answers_with_problem_details_for_bad_input(client, world):
    client.force_login(world["enterprise_user"])
    url = reverse("response-list")
    body = {
        "questionnaire": world["survey"].pk,
        "enterprise": world["own"].pk,
        "date": "2020-09-01",
    }
    bad = client.post(url, {**body, "values": {"muc_do": "?"}}, content_type="application/json")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert "muc_do" in bad.json()["errors"]
    other = {**body, "enterprise": world["other"].pk, "values": {"muc_do": "ap_dung"}}
    assert client.post(url, other, content_type="application/json").status_code == 403
    assert Response.objects.count() == 0
    good = client.post(
        url,
        {**body, "values": {"muc_do": "ap_dung", "tap_huan": True}},
        content_type="application/json",
    )
    assert good.status_code == 201, good.json()
    assert {a["question"]: a["display"] for a in good.json()["answers"]} == {
        "muc_do": "Đã áp dụng giải pháp",
        "tap_huan": "Có",
    }
    listed = client.get(url + "?questionnaire_code=SXSH-PP&district=006").json()
    assert listed["count"] == 1


def test_district_officer_assigns_only_within_their_district(client, world):
    survey = world["survey"]
    client.force_login(world["district_officer"])
    response = client.post(
        reverse("assessments:questionnaire_detail", args=[survey.pk]),
        {"distribution_only": "on", "due": "2020-11-30"},
        follow=True,
    )
    assert "Đã giao phiếu cho 0 đối tượng mới" in response.text  # own was assigned already
    Assignment.objects.all().delete()
    client.post(reverse("assessments:questionnaire_detail", args=[survey.pk]), {})
    assert list(Assignment.objects.values_list("enterprise__name", flat=True)) == ["Siêu thị Xanh"]
    client.force_login(world["reviewer"])
    refused = client.post(reverse("assessments:questionnaire_detail", args=[survey.pk]), {})
    assert refused.status_code == 403


def answer_on_2_june(world, **extra):
    """A city administrator answers the survey for the enterprise, dated 2 June 2020."""
    return submit_response(
        questionnaire=world["survey"],
        subject=world["own"],
        date=dt.date(2020, 6, 2),
        values={"muc_do": "ap_dung"},
        user=world["city_admin"],
        **extra,
    )


def test_future_date_is_judged_by_the_app_clock(world, settings):
    """A survey dated after SCPVN_TODAY is in the future for the app, whatever the wall clock says."""
    settings.SCPVN_TODAY = "2020-06-01"
    with pytest.raises(ResponseInvalid) as error:
        answer_on_2_june(world)
    assert "date" in error.value.errors
    assert Response.objects.count() == 0


def test_an_assignment_of_another_subject_or_questionnaire_is_refused(world):
    """The assignment a caller names must be the subject's, of the questionnaire's code
    (compared by ids: the check reads no row)."""
    theirs = Assignment.objects.create(questionnaire=world["survey"], enterprise=world["other"])
    other_code = Questionnaire.objects.exclude(code="SXSH-PP").filter(subject="enterprise")[0]
    elsewhere = Assignment.objects.create(questionnaire=other_code, enterprise=world["own"])
    for assignment in (theirs, elsewhere):
        with pytest.raises(ResponseInvalid) as error:
            answer_on_2_june(world, assignment=assignment)
        assert set(error.value.errors) == {"assignment"}
    assert Response.objects.count() == 0


def test_questions_are_remembered_once_an_answer_is_committed(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """An answered questionnaire's questions never change, so a process reads them once it
    has stored an answer; an answer rolled back remembers nothing."""
    survey = world["survey"]
    in_order = list(survey.questions.order_by("order", "pk"))
    with django_capture_on_commit_callbacks(execute=False):
        answer_on_2_june(world)  # never committed
    with django_assert_num_queries(1):
        assert questions_of(survey) == in_order
    with django_capture_on_commit_callbacks(execute=True):
        answer_on_2_june(world)
    with django_assert_num_queries(0):
        assert questions_of(survey) == in_order
