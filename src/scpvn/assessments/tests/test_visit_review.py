"""Visits are evidence (issue 17, items 4 and 5): a visit received over OpenRosa carries who,
when, where (its GPS checked against the place's point, far-off visits flagged and kept) and
its photos; a reviewer of the form's agency accepts or returns it through the shared review
workflow, and only an accepted visit counts toward its deliverable, once, and is read by the
indicators. A visit naming a place not in the registry proposes it, pending review."""

import base64
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.errors import AssessmentErrorCode
from scpvn.assessments.formmodels import counted_responses
from scpvn.assessments.models import Response, Submission
from scpvn.assessments.publishing import publish_form
from scpvn.assessments.services import accept_visit, assign, return_visit
from scpvn.assessments.tests.xlsforms import SURVEY, workbook
from scpvn.conftest import make_user
from scpvn.core.errors import Denied
from scpvn.core.review import ReviewErrorCode
from scpvn.geo.distance import distance_m
from scpvn.geo.models import District
from scpvn.orgs.models import Agency
from scpvn.orgs.roles import Role
from scpvn.plans.models import Deliverable
from scpvn.progress.models import Activity
from scpvn.progress.status import plan_progress
from scpvn.registry.models import Place
from scpvn.registry.services import confirm_place

pytestmark = pytest.mark.django_db
PASSWORD = "x-test-password-1"
DAY = dt.date(2020, 8, 14)
AT_MARKET = "21.0285 105.8355 12.0 5.0"
# About 1.3 km north of the market: not where it says it was.
FAR_AWAY = "21.0400 105.8355 12.0 5.0"
NEW_PLACE_ROWS = [
    ["text", "new_place_name", "Tên cơ sở mới", "", "${place} = 'new'", "", "yes"],
    ["text", "new_place_address", "Địa chỉ cơ sở mới", "", "${place} = 'new'", "", ""],
]


@pytest.fixture
def field(hanoi_plan):
    sct = Agency.objects.get(code="SCT")
    dong_da = District.objects.get(code="006")
    market = Place.objects.create(
        kind=Place.Kind.MARKET,
        name="Chợ Văn Chương",
        district=dong_da,
        latitude=21.0285,
        longitude=105.8355,
    )
    officer = make_user("inspector", Role.AGENCY_OFFICER, sct)
    form = publish_form(officer, workbook(survey=[*SURVEY, *NEW_PLACE_ROWS]))
    return {
        "plan": hanoi_plan,
        "officer": officer,
        "district_officer": make_user("dongda", Role.DISTRICT_OFFICER, district=dong_da),
        "reviewer": make_user("lead", Role.REVIEWER, sct),
        "other_reviewer": make_user("builders-lead", Role.REVIEWER, Agency.objects.get(code="SXD")),
        "admin": make_user("admin", Role.CITY_ADMIN, sct),
        "market": market,
        "form": form,
        "inspections": Deliverable.objects.get(task__plan=hanoi_plan, code="10.1"),
    }


def basic(user) -> dict[str, str]:
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_OPENROSA_VERSION": "1.0"}


def send(client, field, user, uuid: str, place: str, gps: str = AT_MARKET, extra: str = ""):
    form = field["form"]
    xml = (
        f'<?xml version="1.0"?><data id="{form.form_id}" version="{form.version}">'
        f"<today>{DAY.isoformat()}</today><place>{place}</place>"
        f"<tui_mien_phi>yes</tui_mien_phi><so_tui>12</so_tui>{extra}"
        f"<gps>{gps}</gps><anh>anh.png</anh>"
        f"<meta><instanceID>{uuid}</instanceID></meta></data>"
    ).encode()
    files = {
        "xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml"),
        "anh.png": SimpleUploadedFile("anh.png", sample_photo(), "image/png"),
    }
    answer = client.post(reverse("openrosa:submission"), files, **basic(user))
    assert answer.status_code == 201, answer.content
    return Submission.objects.get(instance_id=uuid)


def achieved(plan) -> Decimal:
    rows = plan_progress(plan, dt.date(2020, 12, 31), known_at=timezone.now()).tasks
    return next(d.achieved for t in rows for d in t.deliverables if d.deliverable.code == "10.1")


def assigned(field) -> None:
    assign(
        field["officer"],
        field["form"].questionnaire,
        places=Place.objects.filter(pk=field["market"].pk),
        deliverable=field["inspections"],
    )


def test_a_visit_carries_who_when_where_and_photos_and_counts_once_when_accepted(field, client):
    assigned(field)
    visit = send(client, field, field["officer"], "uuid:accept", str(field["market"].pk))
    assert visit.status == Submission.Status.SUBMITTED
    assert visit.submitted_by == field["officer"] and visit.response.date == DAY
    assert visit.gps_check == Submission.GpsCheck.NEAR and visit.distance_m == 0
    assert visit.response.answers.filter(photo__gt="").count() == 1
    # Received is not counted: neither toward the deliverable nor by the indicators.
    assert achieved(field["plan"]) == 0
    assert not Activity.objects.exists()
    assert not Response.objects.filter(counted_responses(), pk=visit.response_id).exists()

    accepted = accept_visit(field["reviewer"], visit, "Đủ ảnh")
    assert accepted.status == Submission.Status.APPROVED and accepted.version == 2
    assert accepted.reviewed_by == field["reviewer"] and accepted.review_comment == "Đủ ảnh"
    assert achieved(field["plan"]) == 1
    record = Activity.objects.get(deliverable=field["inspections"])
    assert record.source_id == visit.response_id and record.agency.code == "SCT"
    assert "uuid:accept" in record.description and "lead" in record.description
    assert Response.objects.filter(counted_responses(), pk=visit.response_id).exists()

    # Accepting again is refused by the workflow; still one count.
    with pytest.raises(ValidationError) as again:
        accept_visit(field["admin"], accepted)
    assert again.value.code == ReviewErrorCode.WRONG_STATE
    assert achieved(field["plan"]) == 1 and Activity.objects.count() == 1


def test_a_returned_visit_counts_nowhere_and_needs_a_reason(field, client):
    assigned(field)
    visit = send(client, field, field["officer"], "uuid:return", str(field["market"].pk))
    with pytest.raises(ValidationError) as no_reason:
        return_visit(field["reviewer"], visit, "  ")
    assert no_reason.value.error_dict["comment"][0].code == ReviewErrorCode.REASON_REQUIRED
    returned = return_visit(field["reviewer"], visit, "Ảnh không rõ quầy hàng")
    assert returned.status == Submission.Status.RETURNED
    assert achieved(field["plan"]) == 0 and not Activity.objects.exists()
    assert not Response.objects.filter(counted_responses()).filter(pk=visit.response_id).exists()
    with pytest.raises(ValidationError):
        accept_visit(field["reviewer"], returned)
    assert not Activity.objects.exists()


def test_the_sender_cannot_accept_their_own_visit(field, client):
    visit = send(client, field, field["admin"], "uuid:own", str(field["market"].pk))
    with pytest.raises(ValidationError) as refused:
        accept_visit(field["admin"], visit)
    assert refused.value.code == ReviewErrorCode.OWN_WORK


def test_a_far_off_visit_is_flagged_not_dropped(field, client, settings):
    far = send(client, field, field["officer"], "uuid:far", str(field["market"].pk), FAR_AWAY)
    assert far.gps_check == Submission.GpsCheck.FAR
    assert 1250 < far.distance_m < 1300
    assert far.distance_m == round(distance_m(21.04, 105.8355, 21.0285, 105.8355), 1)
    assert far.status == Submission.Status.SUBMITTED  # kept, for the reviewer to weigh

    settings.SCPVN_VISIT_GPS_TOLERANCE_M = 2000
    near = send(client, field, field["officer"], "uuid:tolerated", str(field["market"].pk), FAR_AWAY)  # fmt: skip
    assert near.gps_check == Submission.GpsCheck.NEAR

    no_gps = send(client, field, field["officer"], "uuid:nogps", str(field["market"].pk), "")
    assert no_gps.gps_check == Submission.GpsCheck.NO_GPS and no_gps.distance_m is None

    client.force_login(field["reviewer"])
    page = client.get(reverse("assessments:visit_list"), {"gps_check": "far"})
    assert page.status_code == 200 and "Xa nơi kiểm tra" in page.content.decode()
    api = client.get(reverse("visit-list"), {"gps_check": "far"}).json()
    assert [v["instance_id"] for v in api["results"]] == ["uuid:far"]
    detail = client.get(reverse("assessments:visit_detail", args=[far.pk])).content.decode()
    assert "Xa nơi kiểm tra" in detail and "uuid:far" in detail


@pytest.mark.parametrize("who", ["other_reviewer", "officer", "district_officer"])
def test_an_out_of_scope_or_non_reviewer_is_refused_and_nothing_is_written(field, client, who):
    assigned(field)
    visit = send(client, field, field["officer"], "uuid:scope", str(field["market"].pk))
    for act in (lambda v: accept_visit(field[who], v), lambda v: return_visit(field[who], v, "x")):
        with pytest.raises(Denied) as refused:
            act(visit)
        assert refused.value.code == AssessmentErrorCode.VISIT_REVIEW_DENIED
    visit.refresh_from_db()
    assert (visit.status, visit.version, visit.reviewed_by) == ("submitted", 1, None)
    assert not Activity.objects.exists()

    # The API and the page refuse the same way, writing nothing.
    client.force_login(field[who])
    api = client.post(reverse("visit-accept", args=[visit.pk]), {}, content_type="application/json")
    assert api.status_code in (403, 404)
    if api.status_code == 403:
        assert api.json()["code"] in (AssessmentErrorCode.VISIT_REVIEW_DENIED, "permission_denied")
    client.post(reverse("assessments:visit_action", args=[visit.pk, "accept"]))
    visit.refresh_from_db()
    assert visit.status == "submitted" and not Activity.objects.exists()


def test_the_page_and_the_api_accept_and_return(field, client):
    assigned(field)
    first = send(client, field, field["officer"], "uuid:page", str(field["market"].pk))
    second = send(client, field, field["officer"], "uuid:api", str(field["market"].pk))
    client.force_login(field["reviewer"])
    detail = client.get(reverse("assessments:visit_detail", args=[first.pk])).content.decode()
    assert "Chấp nhận" in detail and "Trả lại" in detail and "Chợ Văn Chương" in detail
    page = client.post(reverse("assessments:visit_action", args=[first.pk, "accept"]))
    assert page.status_code == 302
    first.refresh_from_db()
    assert first.status == Submission.Status.APPROVED

    refused = client.post(
        reverse("visit-return", args=[second.pk]), {}, content_type="application/json"
    )
    assert refused.status_code == 400
    returned = client.post(
        reverse("visit-return", args=[second.pk]),
        {"comment": "Thiếu ảnh"},
        content_type="application/json",
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    listing = client.get(reverse("visit-list"), {"status": "approved"}).json()
    assert [v["instance_id"] for v in listing["results"]] == ["uuid:page"]
    assert achieved(field["plan"]) == 1


def test_a_visit_to_an_unregistered_place_proposes_it_pending_review(field, client):
    officer = field["district_officer"]
    media = client.get(
        reverse("openrosa:media", kwargs={"pk": field["form"].pk, "filename": "places.csv"}),
        **basic(officer),
    )
    assert media.content.decode().splitlines()[1].startswith("new,")
    extra = "<new_place_name>Chợ tạm Ô Chợ Dừa</new_place_name><new_place_address>ngõ 5</new_place_address>"  # fmt: skip
    visit = send(client, field, officer, "uuid:new", "new", "21.0180 105.8290 8 4", extra)
    place = visit.response.place
    assert visit.new_place
    assert (place.name, place.address, place.kind) == ("Chợ tạm Ô Chợ Dừa", "ngõ 5", "market")
    assert place.status == Place.Status.PENDING and place.proposed_by == officer
    assert place.district.code == "006" and (place.latitude, place.longitude) == (21.018, 105.829)

    # It does not count until reviewed: the visit waits for the place.
    with pytest.raises(ValidationError) as waiting:
        accept_visit(field["reviewer"], visit)
    assert waiting.value.code == AssessmentErrorCode.VISIT_PLACE_PENDING
    visit.refresh_from_db()
    assert visit.status == Submission.Status.SUBMITTED
    with pytest.raises(Denied):
        confirm_place(officer, place)
    confirm_place(field["reviewer"], place)
    assert accept_visit(field["reviewer"], visit).status == Submission.Status.APPROVED


def test_a_new_place_needs_a_name_and_an_officer_placed_on_the_map(field, client):
    form = field["form"]
    xml = (
        f'<?xml version="1.0"?><data id="{form.form_id}" version="{form.version}">'
        f"<today>{DAY.isoformat()}</today><place>new</place>"
        "<new_place_name>Chợ mới</new_place_name><tui_mien_phi>no</tui_mien_phi>"
        "<meta><instanceID>uuid:nowhere</instanceID></meta></data>"
    ).encode()
    files = {"xml_submission_file": SimpleUploadedFile("s.xml", xml, "text/xml")}
    # A department's officer has no ground of their own to put the place on.
    answer = client.post(reverse("openrosa:submission"), files, **basic(field["officer"]))
    assert answer.status_code == 400
    assert not Place.objects.filter(name="Chợ mới").exists()
    assert not Submission.objects.exists() and not Response.objects.exists()


def test_the_commune_filter_offers_todays_communes_of_the_installed_province(field, client):
    """The visits' commune filter offered every commune of the country, past and present
    (13,372 in the unit tree): a 685 kB page that took 0.7 s to render. A reviewer picks one
    of the province's communes and wards of today (Hanoi: 126)."""
    from scpvn.geo.models import Unit

    today = Unit.objects.filter(
        level=Unit.Level.COMMUNE, valid_to=None, parent__code="01", parent__valid_to=None
    )
    assert Unit.objects.filter(level=Unit.Level.COMMUNE).count() > today.count() == 126
    client.force_login(field["reviewer"])
    page = client.get(reverse("assessments:visit_list"))
    offered = [unit.pk for unit in page.context["filter"].form.fields["unit"].queryset]
    assert sorted(offered) == sorted(today.values_list("pk", flat=True))
    assert len(page.content) < 200_000
    chosen = today.order_by("code").first()
    answer = client.get(reverse("visit-list"), {"unit": chosen.pk})
    assert answer.status_code == 200
    elsewhere = Unit.objects.filter(level=Unit.Level.COMMUNE).exclude(pk__in=today).first()
    refused = client.get(reverse("visit-list"), {"unit": elsewhere.pk})
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
