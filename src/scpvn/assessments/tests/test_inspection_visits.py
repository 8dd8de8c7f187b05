"""Inspections are work: an officer's visit under an assignment that names a plan
deliverable (Plan 96, task 10, 10.1 "inspections") counts toward it once, through the
status engine's module records; an inspection without a place is refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from scpvn.assessments.errors import AssessmentErrorCode
from scpvn.assessments.models import Questionnaire, Response
from scpvn.assessments.services import assign, submit_response
from scpvn.conftest import make_user
from scpvn.core.errors import Denied
from scpvn.geo.models import District
from scpvn.orgs.models import Agency
from scpvn.orgs.roles import Role
from scpvn.plans.models import Deliverable, Task
from scpvn.progress.errors import ProgressErrorCode
from scpvn.progress.models import Activity
from scpvn.progress.services import approve_activity, save_activity, submit_activity
from scpvn.progress.status import plan_progress
from scpvn.registry.models import Place

pytestmark = pytest.mark.django_db
YEAR_END = dt.date(2020, 12, 31)
VISIT = {"ky": "goc", "kho_phan_huy_kg": "12.5", "tong_bao_bi_kg": "50"}


@pytest.fixture
def field(hanoi_plan):
    sct = Agency.objects.get(code="SCT")
    market = Place.objects.create(
        kind=Place.Kind.MARKET, name="Chợ Hàng Da", district=District.objects.get(code="001")
    )
    return {
        "plan": hanoi_plan,
        "officer": make_user("inspector", Role.AGENCY_OFFICER, sct),
        "reviewer": make_user("lead", Role.REVIEWER, sct),
        "market": market,
        "bb_cho": Questionnaire.objects.get(code="BB-CHO"),
        "inspections": Deliverable.objects.get(task__plan=hanoi_plan, code="10.1"),
    }


def achieved(plan, code: str) -> Decimal:
    rows = plan_progress(plan, YEAR_END, known_at=timezone.now()).tasks
    return next(d.achieved for t in rows for d in t.deliverables if d.deliverable.code == code)


def visit(field, day: dt.date) -> Response:
    return submit_response(
        questionnaire=field["bb_cho"],
        subject=field["market"],
        date=day,
        values=VISIT,
        user=field["officer"],
    )


def test_a_visit_under_an_assignment_counts_once_toward_its_deliverable(field):
    plan = field["plan"]
    assert field["inspections"].display_code == "NV10.1"
    assigned = assign(
        field["officer"],
        field["bb_cho"],
        places=Place.objects.filter(pk=field["market"].pk),
        deliverable=field["inspections"],
    )
    assert assigned == 1
    assert achieved(plan, "10.1") == 0

    first = visit(field, dt.date(2020, 8, 14))
    assert achieved(plan, "10.1") == 1
    record = Activity.objects.get(source_id=first.pk, deliverable=field["inspections"])
    assert record.status == Activity.Status.APPROVED
    assert record.unit == first.unit and record.district.code == "001"
    assert "Chợ Hàng Da" in record.title
    visit(field, dt.date(2020, 10, 2))
    assert achieved(plan, "10.1") == 2

    # The same visit typed in by hand is refused, naming the module's record…
    hand = {
        "task": Task.objects.get(plan=plan, number=10),
        "deliverable": field["inspections"],
        "date": dt.date(2020, 8, 14),
        "quantity": 1,
        "title": "Kiểm tra chợ Hàng Da",
    }
    with pytest.raises(ValidationError) as refused:
        save_activity(field["officer"], None, **hand)
    assert refused.value.code == ProgressErrorCode.COUNTED_BY_MODULE
    assert "Chợ Hàng Da" in refused.value.messages[0]
    # …and linked to it, it adds its words without a second count.
    linked, _warnings = save_activity(field["officer"], None, module_record=record, **hand)
    approve_activity(field["reviewer"], submit_activity(field["officer"], linked))
    assert achieved(plan, "10.1") == 2


def test_a_visit_without_an_assignment_naming_a_deliverable_counts_nothing(field):
    visit(field, dt.date(2020, 8, 14))
    assert not Activity.objects.filter(deliverable=field["inspections"]).exists()
    assert achieved(field["plan"], "10.1") == 0


def test_an_inspection_with_no_place_is_refused_and_nothing_is_written(field, client):
    with pytest.raises(ValidationError) as refused:
        submit_response(
            questionnaire=field["bb_cho"],
            subject=None,
            date=dt.date(2020, 8, 14),
            values=VISIT,
            user=field["officer"],
        )
    error = refused.value.error_dict["place"][0]
    assert error.code == AssessmentErrorCode.PLACE_REQUIRED
    assert "BB-CHO" in error.message and "nơi được kiểm tra" in error.message

    client.force_login(field["officer"])
    answer = client.post(
        reverse("response-list"),
        {"questionnaire": field["bb_cho"].pk, "date": "2020-08-14", "values": VISIT},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == AssessmentErrorCode.PLACE_REQUIRED
    assert "nơi được kiểm tra" in answer.json()["errors"]["place"][0]
    assert not Response.objects.exists()
    assert not Activity.objects.exists()


def test_only_a_deliverable_of_a_task_the_officer_records_for_may_be_named(field):
    outsider = make_user("outsider", Role.AGENCY_OFFICER, Agency.objects.get(code="SXD"))
    other = Deliverable.objects.get(task__plan=field["plan"], code="10.1")
    with pytest.raises(Denied) as refused:
        assign(outsider, field["bb_cho"], places=Place.objects.all(), deliverable=other)
    assert getattr(refused.value, "code", "") == AssessmentErrorCode.DELIVERABLE_OUT_OF_SCOPE
