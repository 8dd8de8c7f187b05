"""Photos inside repeat groups: a form with a photo per market stall publishes, a submission
with several stalls stores each photo with its stall (`/data/quay[2]/anh_quay`), refuses a
missing or non-image file storing nothing, and the visit page shows each stall's photo to
those who may see the visit only. The stalls' other answers are stored as before."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.errors import AssessmentErrorCode
from scpvn.assessments.models import Answer, RepeatPhoto, Response, Submission
from scpvn.assessments.publishing import publish_form
from scpvn.assessments.tests.test_xlsform_openrosa import PASSWORD, basic, field  # noqa: F401
from scpvn.assessments.tests.xlsforms import STALLS_XLSFORM as FIXTURE
from scpvn.assessments.xlsform import compile_xlsform, workbook_csv
from scpvn.conftest import make_user
from scpvn.core import clock
from scpvn.geo.models import District
from scpvn.orgs.roles import Role

pytestmark = pytest.mark.django_db


def stalls_form(user):
    return publish_form(user, SimpleUploadedFile(FIXTURE.name, FIXTURE.read_bytes()))


def stall(name: str, photo: str, foam: str = "") -> str:
    so_hop = f"<so_hop>{foam}</so_hop>" if foam else "<so_hop/>"
    return (
        f"<quay><ten_quay>{name}</ten_quay><loai_quay>tuoi</loai_quay><mat_hang>ca</mat_hang>"
        f"<ten_mat_hang>Cá</ten_mat_hang><hop_xop>{'yes' if foam else 'no'}</hop_xop>{so_hop}"
        f"<anh_quay>{photo}</anh_quay></quay>"
    )


def stalls_instance(form, place, uuid: str, stalls: str) -> bytes:
    return (
        f'<?xml version="1.0"?><data id="{form.form_id}" version="{form.version}">'
        f"<today>{clock.today().isoformat()}</today><place>{place.pk}</place>"
        f"<dia_chi/><khu>a</khu><ten_khu>Khu A</ten_khu><dien_thoai>0912345678</dien_thoai>"
        f"{stalls}<meta><instanceID>{uuid}</instanceID></meta></data>"
    ).encode()


def send(client, user, xml: bytes, photos: dict[str, bytes]):
    files = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml")}
    for name, content in photos.items():
        files[name] = SimpleUploadedFile(name, content, "image/png")
    return client.post(reverse("openrosa:submission"), files, **basic(user))


def other_photo() -> bytes:
    """A second, different PNG: the first one with a different trailing chunk order is not
    needed; a different image size is enough to tell the two apart."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_fixture_twin_is_its_workbook():
    assert (FIXTURE.with_suffix(".csv")).read_text() == workbook_csv(FIXTURE.read_bytes())


def test_a_form_with_a_photo_in_a_repeat_publishes(field):  # noqa: F811
    compiled = compile_xlsform(FIXTURE.read_bytes())
    stalls = next(f for f in compiled.fields if f.code == "quay")
    assert stalls.repeat and stalls.photos == [["quay", "anh_quay"]]
    form = stalls_form(field["agency_officer"])
    assert form.questionnaire.questions.filter(code="quay").exists()
    assert not form.questionnaire.questions.filter(code="anh_quay").exists()


def test_each_stall_keeps_its_own_photo_and_a_resend_stores_nothing_twice(field, client):  # noqa: F811
    form = stalls_form(field["agency_officer"])
    officer = field["district_officer"]
    stalls = stall("Quầy cá", "a1.png", foam="4") + stall("Quầy thịt", "b2.png")
    xml = stalls_instance(form, field["market"], "uuid:stalls-1", stalls)
    photos = {"a1.png": sample_photo(), "b2.png": other_photo()}

    assert send(client, officer, xml, photos).status_code == 201
    assert send(client, officer, xml, photos).status_code == 202

    assert Submission.objects.count() == 1 and RepeatPhoto.objects.count() == 2
    answer = Answer.objects.get(question__code="quay")
    # The rows read as before: one object per stall, the photo's cell its file name.
    rows = json.loads(answer.text)
    assert [r["ten_quay"] for r in rows] == ["Quầy cá", "Quầy thịt"]
    assert [r["anh_quay"] for r in rows] == ["a1.png", "b2.png"]
    assert [r["so_hop"] for r in rows] == ["4", ""]
    stored = list(answer.repeat_photos.order_by("position"))
    assert [(p.position, p.path) for p in stored] == [
        (1, "/data/quay[1]/anh_quay"),
        (2, "/data/quay[2]/anh_quay"),
    ]
    assert stored[0].photo.read() == sample_photo()
    assert stored[1].photo.read() == other_photo()


@pytest.mark.parametrize(
    ("photos", "reason"),
    [
        ({"a1.png": sample_photo()}, "b2.png"),
        ({"a1.png": sample_photo(), "b2.png": b"GIF89a-not-really"}, "/data/quay[2]/anh_quay"),
        ({"a1.png": sample_photo(), "b2.png": b"<svg xmlns='x'/>"}, "/data/quay[2]/anh_quay"),
    ],
    ids=["missing", "not_an_image", "svg"],
)
def test_a_missing_or_non_image_stall_photo_refuses_the_whole_visit(field, client, photos, reason):  # noqa: F811
    form = stalls_form(field["agency_officer"])
    stalls = stall("Quầy cá", "a1.png") + stall("Quầy thịt", "b2.png")
    xml = stalls_instance(form, field["market"], "uuid:stalls-bad", stalls)

    answer = send(client, field["district_officer"], xml, photos)

    assert answer.status_code == 400, answer.content
    assert f'nature="{AssessmentErrorCode.SUBMISSION_PHOTO}"'.encode() in answer.content
    assert reason in answer.content.decode()
    assert Submission.objects.count() == 0 and RepeatPhoto.objects.count() == 0
    assert Response.objects.filter(questionnaire=form.questionnaire).count() == 0


def test_the_visit_page_shows_each_stalls_photo_to_those_who_may_see_it(field, client):  # noqa: F811
    form = stalls_form(field["agency_officer"])
    stalls = stall("Quầy cá", "a1.png", foam="4") + stall("Quầy thịt", "b2.png")
    xml = stalls_instance(form, field["market"], "uuid:stalls-page", stalls)
    assert send(client, field["district_officer"], xml, {"a1.png": sample_photo(), "b2.png": other_photo()}).status_code == 201  # fmt: skip
    visit = Submission.objects.get()
    first, second = RepeatPhoto.objects.order_by("position")
    urls = [reverse("assessments:repeat_photo", args=[p.pk]) for p in (first, second)]

    client.force_login(field["reviewer"])
    page = client.get(reverse("assessments:visit_detail", args=[visit.pk])).content.decode()
    assert all(f'src="{url}"' in page for url in urls)
    assert "Quầy thịt" in page and "Tên quầy" in page
    assert b"".join(client.get(urls[1]).streaming_content) == other_photo()
    api = client.get(reverse("visit-detail", args=[visit.pk])).json()
    assert [(p["id"], p["question"], p["position"], p["path"]) for p in api["repeat_photos"]] == [
        (first.pk, "quay", 1, "/data/quay[1]/anh_quay"),
        (second.pk, "quay", 2, "/data/quay[2]/anh_quay"),
    ]
    response_page = client.get(reverse("assessments:response_detail", args=[visit.response.pk]))
    assert f'src="{urls[0]}"' in response_page.content.decode()

    # An officer of another district, or an enterprise, sees none of the stalls' photos.
    elsewhere = make_user("hoankiem", Role.DISTRICT_OFFICER, district=District.objects.get(code="001"))  # fmt: skip
    client.force_login(elsewhere)
    assert client.get(urls[0]).status_code == 404
    client.force_login(field["enterprise_user"])
    assert client.get(urls[0]).status_code == 404
