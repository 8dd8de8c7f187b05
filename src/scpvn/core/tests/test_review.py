"""The review workflow: states, moves, the required reason, and refusing a stale move.

Exercised on a progress activity, the simplest reviewed record; the apps' own tests check
who may act."""

import pytest
from django.core.exceptions import ValidationError

from scpvn.core import review

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(mini_plan, users):
    from scpvn.progress.models import Activity

    deliverable = mini_plan.tasks.get(number=1).deliverables.first()
    return Activity.objects.create(
        task=deliverable.task,
        deliverable=deliverable,
        agency=users["agency_officer"].agency,
        date=mini_plan.period_start,
        quantity=1,
        title="Hội nghị",
        created_by=users["agency_officer"],
    )


def test_submit_approve_moves_and_bumps_the_version(activity, users):
    submitted = review.submit(activity, by=users["agency_officer"])
    assert (submitted.status, submitted.version) == (review.SUBMITTED, activity.version + 1)
    approved = review.approve(submitted, by=users["reviewer"], comment="  tốt ")
    assert (approved.status, approved.review_comment) == (review.APPROVED, "tốt")
    with pytest.raises(ValidationError, match="Không thể thực hiện") as refusal:
        review.send_back(approved, by=users["reviewer"], comment="muộn")
    assert refusal.value.code == "review.wrong_state"


def test_return_needs_a_reason_and_a_returned_record_can_be_resubmitted(activity, users):
    submitted = review.submit(activity, by=users["agency_officer"])
    with pytest.raises(ValidationError) as refusal:
        review.send_back(submitted, by=users["reviewer"], comment="  ")
    assert "comment" in refusal.value.message_dict
    returned = review.send_back(submitted, by=users["reviewer"], comment="Thiếu ảnh")
    assert (returned.status, returned.review_comment) == (review.RETURNED, "Thiếu ảnh")
    assert review.submit(returned, by=users["agency_officer"]).status == review.SUBMITTED


def test_extra_fields_move_with_the_state(activity, users):
    submitted = review.submit(activity, by=users["agency_officer"], title="Hội nghị (sửa)")
    assert submitted.title == "Hội nghị (sửa)"


def test_a_city_administrator_cannot_approve_their_own_activity(mini_plan, users):
    from scpvn.progress import services
    from scpvn.progress.models import Activity

    admin = users["city_admin"]
    deliverable = mini_plan.tasks.get(number=1).deliverables.first()
    own = Activity.objects.create(
        task=deliverable.task,
        deliverable=deliverable,
        agency=deliverable.task.lead,
        date=mini_plan.period_start,
        quantity=1,
        title="Tự làm",
        created_by=admin,
    )
    submitted = services.submit_activity(admin, own)
    with pytest.raises(ValidationError) as refusal:
        services.approve_activity(admin, submitted)
    assert refusal.value.code == review.ReviewErrorCode.OWN_WORK
    own.refresh_from_db()
    assert own.status == review.SUBMITTED
    assert services.approve_activity(users["reviewer"], own).status == review.APPROVED


def test_whoever_submitted_may_not_approve_either(activity, users):
    """Reports and activities alike: the submitter counts as an author."""
    submitted = review.submit(activity, by=users["reviewer"])
    with pytest.raises(ValidationError, match="tự duyệt"):
        review.approve(submitted, by=users["reviewer"])
    assert review.approve(submitted, by=users["city_admin"]).status == review.APPROVED
