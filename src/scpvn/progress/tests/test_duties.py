"""A duty of the plan's organisation section that is not a task (Agriculture's chains, the
liaison programme) can be named by the work done for it, and is then traceable."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from scpvn.orgs.models import Agency
from scpvn.plans.models import Duty, Plan, Task
from scpvn.progress.errors import ProgressErrorCode
from scpvn.progress.services import save_activity

pytestmark = pytest.mark.django_db


def record(user, duty):
    return save_activity(
        user,
        None,
        task=Task.objects.get(number=1),
        deliverable=None,
        date=dt.date(2020, 8, 3),
        quantity=1,
        title="Hội nghị liên kết với Bộ Công Thương",
        duty=duty,
    )


def test_activity_names_a_duty_of_its_plan_only(users, mini_plan):
    sct = Agency.objects.get(code="SCT")
    duty = Duty.objects.create(plan=mini_plan, agency=sct, text="Chương trình liên kết")
    activity, _warnings = record(users["agency_officer"], duty)
    assert list(duty.activities.all()) == [activity]
    other = Plan.objects.create(
        code="2/KH-X",
        slug="x",
        issuer="UBND",
        title="Khác",
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 12, 31),
    )
    foreign = Duty.objects.create(plan=other, agency=sct, text="Việc của kế hoạch khác")
    with pytest.raises(ValidationError) as refused:
        record(users["agency_officer"], foreign)
    assert refused.value.code == ProgressErrorCode.DUTY_OF_ANOTHER_PLAN
    assert duty.activities.count() == 1 and not foreign.activities.exists()
