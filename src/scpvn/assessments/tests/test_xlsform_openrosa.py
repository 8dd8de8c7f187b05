"""XLSForms published by a department and visits received over OpenRosa, end to end: a form
written here with openpyxl publishes without code changes, ODK Collect's requests list it to
the officers in scope only, and a visit with a photo sent twice is stored once."""

import base64
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.errors import AssessmentErrorCode
from scpvn.assessments.models import (
    Answer,
    PublishedForm,
    Question,
    Questionnaire,
    Response,
    Submission,
)
from scpvn.assessments.publishing import close_form, publish_form
from scpvn.assessments.tests.xlsforms import SURVEY, with_version, workbook
from scpvn.assessments.xlsform import XLSFormInvalid, expression_problem
from scpvn.conftest import make_user
from scpvn.core import clock
from scpvn.core.errors import Denied
from scpvn.geo.models import District
from scpvn.orgs.models import Agency
from scpvn.orgs.roles import Role
from scpvn.registry.models import Place

pytestmark = pytest.mark.django_db

PASSWORD = "x-test-password-1"


@pytest.fixture
def field(users):
    builders = Agency.objects.create(code="SXD-T", name="Sở Xây dựng", kind="department")
    market = Place.objects.create(
        kind="market", name="Chợ Văn Miếu", district=District.objects.get(code="006")
    )
    far_market = Place.objects.create(
        kind="market", name="Chợ Đồng Xuân", district=District.objects.get(code="001")
    )
    supermarket = Place.objects.create(
        kind="supermarket", name="Siêu thị Đống Đa", district=District.objects.get(code="006")
    )
    return {
        **users,
        "builders_officer": make_user("builders", Role.AGENCY_OFFICER, builders),
        "market": market,
        "far_market": far_market,
        "supermarket": supermarket,
    }


def basic(user) -> dict[str, str]:
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_OPENROSA_VERSION": "1.0"}


def instance(form: PublishedForm, place: Place, uuid: str, photo: str = "anh.png", **over) -> bytes:
    values = {
        "today": clock.today().isoformat(),
        "start": f"{clock.today().isoformat()}T08:15:00.000+07:00",
        "place": str(place.pk),
        "tui_mien_phi": "yes",
        "so_tui": "42",
        "kg_nilon": "1.5",
        "gam_nilon": "1500",
        "thay_the": "giay vai",
        "gps": "21.0285 105.8355 12.0 5.0",
        "anh": photo,
        **over,
    }
    body = "".join(f"<{k}>{v}</{k}>" for k, v in values.items() if k not in ("gps", "anh"))
    stalls = (
        "<quay><ten_quay>Quầy 1</ten_quay><hop_xop>3</hop_xop></quay>"
        "<quay><ten_quay>Quầy 2</ten_quay><hop_xop>0</hop_xop></quay>"
    )
    return (
        f'<?xml version="1.0"?><data xmlns:orx="http://openrosa.org/xforms" '
        f'id="{form.form_id}" version="{over.get("version", form.version)}">{body}{stalls}'
        f"<gps>{values['gps']}</gps><anh>{values['anh']}</anh>"
        f"<meta><instanceID>{uuid}</instanceID></meta></data>"
    ).encode()


def submit(client, user, xml: bytes, photo: bytes | None = None, key: str | None = None):
    files = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml")}
    if photo is not None:
        files["anh.png"] = SimpleUploadedFile("anh.png", photo, "image/png")
    if key:
        url = reverse("openrosa:key-submission", kwargs={"key": key})
        return client.post(url, files, HTTP_X_OPENROSA_VERSION="1.0")
    return client.post(reverse("openrosa:submission"), files, **basic(user))


# ---- publishing ------------------------------------------------------------------------------


def test_an_xlsform_written_here_publishes_onto_the_engine(field):
    form = publish_form(field["agency_officer"], workbook())

    questionnaire = form.questionnaire
    assert (questionnaire.code, questionnaire.version, questionnaire.subject) == (
        "KT-CHO",
        1,
        "place",
    )
    assert questionnaire.place_kinds == ["market"] and questionnaire.is_active
    types = dict(questionnaire.questions.values_list("code", "type"))
    assert types == {
        "tui_mien_phi": Question.Type.YES_NO,
        "so_tui": Question.Type.NUMBER,
        "kg_nilon": Question.Type.NUMBER,
        "gam_nilon": Question.Type.TEXT,
        "thay_the": Question.Type.MULTIPLE,
        "quay": Question.Type.TEXT,
        "gps": Question.Type.TEXT,
        "anh": Question.Type.PHOTO,
    }
    # Required but shown only when relevant: the engine must not demand it.
    assert not questionnaire.questions.get(code="so_tui").required
    assert questionnaire.questions.get(code="tui_mien_phi").required
    assert 'id="KT-CHO"' in form.xml and 'version="2026120101"' in form.xml
    assert 'src="jr://file-csv/places.csv"' in form.xml
    assert form.agency == field["agency_officer"].agency and form.source.name


def test_a_new_version_applies_to_new_visits_and_an_answered_one_is_frozen(field, client):
    first = publish_form(field["agency_officer"], workbook())
    assert submit(client, field["agency_officer"], instance(first, field["market"], "uuid:v1"), sample_photo()).status_code == 201  # fmt: skip

    with pytest.raises(Exception) as refused:
        publish_form(field["agency_officer"], workbook(survey=SURVEY[:-1]))
    assert refused.value.code == AssessmentErrorCode.FORM_VERSION_FROZEN

    second = publish_form(field["agency_officer"], workbook(settings=with_version("2026120201")))
    first.questionnaire.refresh_from_db()
    assert second.questionnaire.version == 2 and second.questionnaire.is_active
    assert not first.questionnaire.is_active
    listing = client.get(reverse("openrosa:form-list"), **basic(field["agency_officer"]))
    assert b"<version>2026120201</version>" in listing.content
    assert b"2026120101" not in listing.content
    # A visit queued on a device before the new version still arrives, on its own version.
    late = instance(first, field["market"], "uuid:late")
    assert submit(client, field["agency_officer"], late, sample_photo()).status_code == 201
    assert (
        Submission.objects.get(instance_id="uuid:late").response.questionnaire
        == first.questionnaire
    )


def test_another_agency_cannot_take_over_a_form_and_field_roles_cannot_publish(field):
    publish_form(field["agency_officer"], workbook())
    with pytest.raises(Exception) as refused:
        publish_form(field["builders_officer"], workbook(settings=with_version("9")))
    assert refused.value.code == AssessmentErrorCode.FORM_OWNED_ELSEWHERE
    for role in ("district_officer", "reviewer", "enterprise_user"):
        with pytest.raises(Denied):
            publish_form(field[role], workbook(settings=with_version("9")))
    assert PublishedForm.objects.count() == 1


def _broken(rows: dict[int, list[str]], extra: list[list[str]] | None = None) -> list[list[str]]:
    survey = [rows.get(i, row) for i, row in enumerate(SURVEY)]
    return survey + (extra or [])


@pytest.mark.parametrize(
    ("survey", "expected"),
    [
        (  # broken expression: an operator with nothing after it
            _broken({4: ["integer", "so_tui", "Số túi", ". >= ", "", "", ""]}),
            [("survey", 6, "constraint", "D")],
        ),
        (  # unclosed bracket in relevant, unknown name in calculation
            _broken(
                {
                    4: ["integer", "so_tui", "Số", "", "(${tui_mien_phi} = 'yes'", "", ""],
                    6: ["calculate", "gam_nilon", "", "", "", "${khong_co} * 1000", ""],
                }
            ),
            [("survey", 6, "relevant", "E"), ("survey", 8, "calculation", "F")],
        ),
        (  # missing choice list
            _broken({7: ["select_multiple loai_bao_bi", "thay_the", "Bao bì", "", "", "", ""]}),
            [("survey", 9, "type", "A")],
        ),
        (  # duplicate name, even in another group
            _broken({}, [["text", "ten_quay", "Ghi chú", "", "", "", ""]]),
            [("survey", 16, "name", "B")],
        ),
    ],
)
def test_bad_forms_name_sheet_row_and_column_and_store_nothing(field, survey, expected):
    questionnaires = Questionnaire.objects.count()
    with pytest.raises(XLSFormInvalid) as refused:
        publish_form(field["agency_officer"], workbook(survey=survey))
    found = [(p.sheet, p.row, p.column, p.letter) for p in refused.value.problems]
    assert found == expected
    assert all(f"dòng {row}" in str(p) for p, (_s, row, _c, _l) in zip(refused.value.problems, expected, strict=True))  # fmt: skip
    assert PublishedForm.objects.count() == 0
    assert Questionnaire.objects.count() == questionnaires


def test_pyxform_refusals_keep_their_position(field):
    settings = [
        ["form_id", "version", "form_title", "default_language"],
        ["KT-CHO", "1", "x", "vi"],
    ]
    survey = [*SURVEY, ["begin_group", "nhom", "Nhóm", "", "", "", ""]]  # never closed
    with pytest.raises(XLSFormInvalid) as refused:
        publish_form(field["agency_officer"], workbook(survey=survey, settings=settings))
    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].sheet == "survey"
    assert PublishedForm.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (". >= 0 and . < 1000", True),
        ("selected(${thay_the}, 'giay') or count-selected(${thay_the}) > 1", True),
        ("if(${a} = '', 0, -${a} * 2)", True),
        ("instance('places')/root/item[name = ${place}]/label", True),
        ("today()", True),
        (". >=", False),
        ("(. > 1", False),
        (". > 1)", False),
        ("${a} ${b}", False),
        ("concat(${a},)", False),
        ("1 + * 2", False),
        ("${a}-1 > 0", True),
    ],
)
def test_expression_syntax(text, ok):
    assert (expression_problem(text) is None) is ok


def test_the_command_line_publishes_and_lists_every_problem_on_its_own_line(
    field, tmp_path, capsys
):
    bad = tmp_path / "bad.xlsx"
    survey = _broken(
        {
            4: ["integer", "so_tui", "Số", ". >=", "", "", ""],
            7: ["select_one nope", "thay_the", "x", "", "", "", ""],
        }
    )
    bad.write_bytes(workbook(survey=survey).read())
    with pytest.raises(CommandError) as failed:
        call_command("forms", "publish", str(bad), "--user", "officer")
    assert failed.value.returncode == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(f"{bad}: survey, dòng ") for line in lines)
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook().read())
    call_command("forms", "publish", str(good), "--user", "officer")
    assert "KT-CHO" in capsys.readouterr().out
    assert PublishedForm.objects.get().form_id == "KT-CHO"


def test_the_api_publishes_and_answers_problems_with_their_cells(field, client):
    client.force_login(field["agency_officer"])
    survey = _broken({}, [["text", "kg_nilon", "dup", "", "", "", ""]])
    answer = client.post("/api/forms/", {"file": workbook(survey=survey)})
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == AssessmentErrorCode.FORM_INVALID
    assert body["problems"] == [
        {"sheet": "survey", "row": 16, "column": "name", "message": body["problems"][0]["message"]}
    ]
    assert client.post("/api/forms/", {"file": workbook()}).status_code == 201
    client.force_login(field["district_officer"])
    assert client.post("/api/forms/", {"file": workbook()}).status_code == 403


def test_the_page_publishes_and_shows_the_cells_of_a_bad_form(field, client):
    client.force_login(field["agency_officer"])
    url = reverse("assessments:form_list")
    survey = _broken({4: ["integer", "so_tui", "Số", ". >=", "", "", ""]})
    page = client.post(url, {"file": workbook(survey=survey)})
    assert page.status_code == 200 and "constraint" in page.content.decode()
    assert PublishedForm.objects.count() == 0
    assert client.post(url, {"file": workbook()}).status_code == 302
    assert "KT-CHO" in client.get(url).content.decode()


# ---- OpenRosa ------------------------------------------------------------------------------------


def test_form_list_shows_the_form_to_officers_in_scope_only(field, client):
    form = publish_form(field["agency_officer"], workbook())
    url = reverse("openrosa:form-list")

    anonymous = client.get(url)
    assert anonymous.status_code == 401 and "Basic" in anonymous["WWW-Authenticate"]
    for role in ("agency_officer", "district_officer", "city_admin"):
        listing = client.get(url, **basic(field[role]))
        assert listing.status_code == 200, role
        assert listing["X-OpenRosa-Version"] == "1.0"
        assert b"<formID>KT-CHO</formID>" in listing.content
        assert f"<hash>md5:{form.md5}</hash>".encode() in listing.content
    other = client.get(url, **basic(field["builders_officer"]))
    assert other.status_code == 200 and b"KT-CHO" not in other.content
    download = reverse("openrosa:form", kwargs={"pk": form.pk})
    assert client.get(download, **basic(field["builders_officer"])).status_code == 404
    assert client.get(download, **basic(field["district_officer"])).content.decode() == form.xml
    assert client.get(url, **basic(field["enterprise_user"])).status_code == 403
    close_form(field["agency_officer"], form)
    assert b"KT-CHO" not in client.get(url, **basic(field["agency_officer"])).content


def test_the_manifest_attaches_the_places_of_the_officers_scope(field, client):
    form = publish_form(field["agency_officer"], workbook())
    token = Token.objects.create(user=field["district_officer"]).key
    manifest = client.get(reverse("openrosa:key-manifest", kwargs={"key": token, "pk": form.pk}))
    assert manifest.status_code == 200
    assert b"<filename>places.csv</filename>" in manifest.content
    media = client.get(
        reverse(
            "openrosa:key-media", kwargs={"key": token, "pk": form.pk, "filename": "places.csv"}
        )
    )
    rows = media.content.decode().splitlines()
    assert rows[0] == "name,label,kind,address"
    assert f"{field['market'].pk},Chợ Văn Miếu,market," in rows
    # Another district's market, and a supermarket for a market form, are not sent.
    assert not any("Đồng Xuân" in r or "Siêu thị" in r for r in rows)
    assert (
        client.get(
            reverse("openrosa:key-media", kwargs={"key": token, "pk": form.pk, "filename": "x.csv"})
        ).status_code
        == 404
    )


def test_a_visit_with_a_photo_sent_twice_is_stored_once(field, client):
    form = publish_form(field["agency_officer"], workbook())
    token = Token.objects.create(user=field["district_officer"]).key
    xml = instance(form, field["market"], "uuid:0f1e2d3c")

    head = client.head(reverse("openrosa:key-submission", kwargs={"key": token}))
    assert head.status_code == 204 and int(head["X-OpenRosa-Accept-Content-Length"]) > 0
    first = submit(client, None, xml, sample_photo(), key=token)
    assert first.status_code == 201, first.content
    assert b"submit_success" in first.content and first["X-OpenRosa-Version"] == "1.0"
    again = submit(client, None, xml, sample_photo(), key=token)
    assert again.status_code == 202

    assert Submission.objects.count() == Response.objects.filter(questionnaire=form.questionnaire).count() == 1  # fmt: skip
    stored = Submission.objects.get()
    assert (stored.latitude, stored.longitude, stored.accuracy) == (Decimal("21.028500"), Decimal("105.835500"), 5.0)  # fmt: skip
    response = stored.response
    assert response.place == field["market"] and response.submitted_by == field["district_officer"]
    assert response.date == clock.today()
    answers = {a.question.code: a for a in Answer.objects.filter(response=response)}
    assert answers["tui_mien_phi"].boolean is True
    assert answers["so_tui"].number == 42 and answers["kg_nilon"].number == Decimal("1.5")
    assert answers["thay_the"].choices == ["giay", "vai"]
    assert answers["quay"].text == '[{"ten_quay": "Quầy 1", "hop_xop": "3"}, {"ten_quay": "Quầy 2", "hop_xop": "0"}]'  # fmt: skip
    assert answers["anh"].photo.read().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("malformed", 400, AssessmentErrorCode.SUBMISSION_MALFORMED),
        ("no_instance_id", 400, AssessmentErrorCode.SUBMISSION_MALFORMED),
        ("unknown_version", 404, AssessmentErrorCode.FORM_UNKNOWN),
        ("closed", 409, AssessmentErrorCode.FORM_CLOSED),
        ("not_an_image", 400, AssessmentErrorCode.SUBMISSION_PHOTO),
        ("missing_photo", 400, AssessmentErrorCode.SUBMISSION_PHOTO),
        ("out_of_scope", 403, AssessmentErrorCode.SUBJECT_OUT_OF_SCOPE),
        ("unknown_place", 400, AssessmentErrorCode.SUBJECT_UNKNOWN),
        ("bad_answer", 400, AssessmentErrorCode.INVALID_ANSWERS),
        ("entity", 400, AssessmentErrorCode.SUBMISSION_MALFORMED),
        ("too_large", 413, AssessmentErrorCode.SUBMISSION_TOO_LARGE),
    ],
)
def test_refused_submissions_say_why_and_store_nothing(field, client, settings, case, status, code):
    form = publish_form(field["agency_officer"], workbook())
    officer = field["district_officer"]
    xml, photo = instance(form, field["market"], f"uuid:{case}"), sample_photo()
    if case == "malformed":
        xml = xml[:-20]
    elif case == "no_instance_id":
        xml = xml.replace(b"<instanceID>uuid:no_instance_id</instanceID>", b"")
    elif case == "unknown_version":
        xml = instance(form, field["market"], "uuid:v", version="1999")
    elif case == "closed":
        close_form(field["agency_officer"], form)
    elif case == "not_an_image":
        photo = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    elif case == "missing_photo":
        photo = None
    elif case == "out_of_scope":
        xml = instance(form, field["far_market"], "uuid:far")
    elif case == "unknown_place":
        own = f"<place>{field['market'].pk}</place>".encode()
        xml = xml.replace(own, b"<place>999999</place>")
    elif case == "bad_answer":
        xml = instance(form, field["market"], "uuid:bad", thay_the="nhua")
    elif case == "entity":
        xml = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><data id="KT-CHO">&x;</data>'
    elif case == "too_large":
        settings.SCPVN_OPENROSA_MAX_BYTES = 200
    answer = submit(client, officer, xml, photo)
    assert answer.status_code == status, answer.content
    assert answer["X-OpenRosa-Version"] == "1.0"
    assert f'nature="{code}"'.encode() in answer.content
    assert Submission.objects.count() == 0
    assert Response.objects.filter(questionnaire=form.questionnaire).count() == 0
