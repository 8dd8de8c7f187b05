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
