"""Each output counts once: a deliverable a module feeds takes its figure from the module's
records; hand-entered work on it names the record it reports or is refused; overlaps already
recorded are listed for reviewers, who void one."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from scpvn.geo.models import District
from scpvn.orgs.models import Agency
from scpvn.plans.models import Deliverable, Task
from scpvn.progress.errors import ProgressErrorCode
from scpvn.progress.models import Activity
from scpvn.progress.overlaps import find_overlaps
from scpvn.progress.services import (
    approve_activity,
    record_module_activity,
    save_activity,
    submit_activity,
    void_activity,
)
from scpvn.progress.status import plan_progress
from scpvn.progress.tests.factories import approved

pytestmark = pytest.mark.django_db
YEAR_END = dt.date(2020, 12, 31)


@pytest.fixture
def handbooks(mini_plan) -> Activity:
    """The media module's record: 5,000 handbooks printed (any saved model stands in for
    the media item)."""
    return record_module_activity(
        source=Agency.objects.get(code="STNMT"),
        deliverable=Deliverable.objects.get(code="1.1"),
        quantity=5000,
        date=dt.date(2020, 9, 30),
        agency=Agency.objects.get(code="SCT"),
        title="Cẩm nang sản xuất và tiêu dùng bền vững",
    )


def achieved(plan, code: str):
    rows = plan_progress(plan, YEAR_END, known_at=timezone.now()).tasks
    return next(d.achieved for t in rows for d in t.deliverables if d.deliverable.code == code)


def entry(user, **extra):
    return save_activity(
        user,
        None,
        task=Task.objects.get(number=1),
        deliverable=Deliverable.objects.get(code="1.1"),
        date=dt.date(2020, 9, 30),
        quantity=5000,
        title="Phát hành 5.000 cuốn cẩm nang",
        **extra,
    )


def test_hand_entry_on_a_module_fed_deliverable_is_refused_naming_the_record(users, handbooks):
    with pytest.raises(ValidationError) as refused:
        entry(users["agency_officer"])
    assert refused.value.code == ProgressErrorCode.COUNTED_BY_MODULE
    assert "NV1.1" in refused.value.messages[0] and handbooks.title in refused.value.messages[0]
    assert Activity.objects.count() == 1  # nothing written


def test_hand_entry_linking_its_module_record_is_kept_but_never_counted_again(
    users, handbooks, mini_plan
):
    activity, _warnings = entry(users["agency_officer"], module_record=handbooks)
    submit_activity(users["agency_officer"], activity)
    approve_activity(users["reviewer"], activity)
    assert achieved(mini_plan, "1.1") == 5000


def test_a_record_of_another_deliverable_cannot_be_linked(users, handbooks):
    other = approved("2.1", 1, dt.date(2020, 8, 1))
    with pytest.raises(ValidationError) as refused:
        entry(users["agency_officer"], module_record=other)
    assert refused.value.code == ProgressErrorCode.NOT_A_MODULE_RECORD


def test_existing_overlap_is_listed_and_voided_by_a_reviewer_with_history(
    users, handbooks, mini_plan
):
    twice = approved("1.1", 5000, dt.date(2020, 9, 20))  # recorded before the rule existed
    approved("1.1", 3, dt.date(2020, 3, 1))  # other work, far apart: not an overlap
    assert achieved(mini_plan, "1.1") == 10003
    [overlap] = find_overlaps(mini_plan)
    assert (overlap.entered, overlap.record) == (twice, handbooks)
    with pytest.raises(PermissionDenied):
        void_activity(users["agency_officer"], twice, "trùng")
    with pytest.raises(ValidationError) as refused:
        void_activity(users["reviewer"], twice, "  ")
    assert refused.value.code == ProgressErrorCode.VOID_REASON_REQUIRED
    with pytest.raises(ValidationError) as refused:
        void_activity(users["reviewer"], handbooks, "bản ghi mô-đun")
    assert refused.value.code == ProgressErrorCode.NOT_VOIDABLE
    voided = void_activity(users["reviewer"], twice, "Trùng với cẩm nang của mô-đun ấn phẩm")
    assert voided.status == Activity.Status.VOID and voided.voided_by == users["reviewer"]
    assert voided.history.first().status == Activity.Status.VOID
    assert achieved(mini_plan, "1.1") == 5003
    assert find_overlaps(mini_plan) == []


def test_same_venue_is_an_overlap_even_with_other_quantities(mini_plan):
    from scpvn.fairs.models import FairEvent  # a fair is a module record with a venue

    agency = Agency.objects.get(code="SCT")
    fair = FairEvent.objects.create(
        name="Hội chợ kết nối",
        venue="Cung Văn hóa Hữu nghị Việt Xô",
        start_date=dt.date(2020, 10, 22),
        end_date=dt.date(2020, 10, 25),
        capacity=60,
        agency=agency,
        district=District.objects.get(code="002"),
    )
    record = record_module_activity(
        source=fair,
        deliverable=Deliverable.objects.get(code="1.1"),
        quantity=60,
        date=fair.end_date,
        agency=agency,
        title="Gian hàng tại Hội chợ kết nối",
    )
    booths = approved("1.1", 58, dt.date(2020, 9, 18))
    booths.title = "58 gian hàng chuỗi 1 tại Cung Văn hóa Hữu nghị"
    booths.save()
    [overlap] = find_overlaps(mini_plan)
    assert overlap.record == record and "Cung Văn hóa" in overlap.reasons[0]


def test_overlap_page_lists_for_reviewers_and_voids_through_the_service(client, users, handbooks):
    twice = approved("1.1", 5000, dt.date(2020, 9, 20))
    client.force_login(users["reviewer"])
    page = client.get(reverse("progress:overlaps"))
    assert f'data-overlap="{twice.pk}-{handbooks.pk}"' in page.content.decode()
    client.post(reverse("progress:activity_action", args=[twice.pk, "void"]), {"reason": "Trùng"})
    twice.refresh_from_db()
    assert twice.status == Activity.Status.VOID and twice.void_reason == "Trùng"
    client.force_login(users["agency_officer"])
    assert client.get(reverse("progress:overlaps")).status_code == 403


def test_api_refuses_the_duplicate_with_its_code(client, users, handbooks):
    client.force_login(users["agency_officer"])
    body = {
        "task": Task.objects.get(number=1).pk,
        "deliverable": handbooks.deliverable_id,
        "date": "2020-09-30",
        "quantity": "5000",
        "title": "Cẩm nang",
    }
    refused = client.post(reverse("activity-list"), body, content_type="application/json")
    assert (
        refused.status_code == 400 and refused.json()["code"] == ProgressErrorCode.COUNTED_BY_MODULE
    )
    body["module_record"] = handbooks.pk
    created = client.post(reverse("activity-list"), body, content_type="application/json")
    assert created.status_code == 201 and created.json()["deliverable_code"] == "NV1.1"
