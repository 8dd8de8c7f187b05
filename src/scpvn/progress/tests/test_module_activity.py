import datetime as dt

import pytest

from scpvn.orgs.models import Agency
from scpvn.plans.models import Deliverable
from scpvn.progress.models import Activity
from scpvn.progress.services import record_module_activity, withdraw_module_activity

pytestmark = pytest.mark.django_db


def test_module_activity_is_approved_and_updated_in_place(mini_plan):
    deliverable = Deliverable.objects.get(code="2.1")
    source = Agency.objects.get(code="STNMT")  # any saved model stands in for a training
    kwargs = dict(
        source=source,
        deliverable=deliverable,
        date=dt.date(2020, 8, 1),
        agency=Agency.objects.get(code="SCT"),
        title="Lớp tập huấn 1",
    )
    record_module_activity(quantity=1, **kwargs)
    record_module_activity(quantity=2, **kwargs)
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.APPROVED
    assert activity.quantity == 2 and activity.task == deliverable.task
    assert withdraw_module_activity(source=source) == 1
    assert not Activity.objects.exists()
