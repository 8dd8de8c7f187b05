"""A commune or ward officer records their People's Committee's work on a 2026 plan: the
tasks the plan gives "the communes and wards" (UBNDXP), on their own unit."""

import datetime as dt

import pytest

from scpvn.core.errors import Denied
from scpvn.orgs.models import Agency
from scpvn.orgs.policy import VIEW, restrict
from scpvn.progress import services
from scpvn.progress.errors import ProgressErrorCode
from scpvn.progress.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2026(mini_plan_data):
    from scpvn.plans.schema import PlanDocument
    from scpvn.plans.services import load_plan

    data = mini_plan_data | {
        "code": "02/KH-TEST",
        "issued": dt.date(2026, 1, 5),
        "period": {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)},
        "indicators": [],
    }
    data["agencies"].append({"code": "UBNDXP", "name": "UBND các xã, phường", "kind": "commune"})
    for task in data["tasks"]:
        task.update(start="2026-01", end="2026-12")
    data["tasks"][0]["partners"] = ["STNMT", "UBNDXP"]
    return load_plan(PlanDocument.model_validate(data)).plan


def test_every_ward_of_the_province_has_its_peoples_committee():
    from scpvn.geo.models import Ward

    assert Agency.objects.filter(kind=Agency.Kind.COMMUNE, unit__isnull=False).count() == (
        Ward.objects.exclude(unit=None).count()
    )


def test_commune_officer_records_on_the_communes_tasks_on_their_unit(users, plan_2026):
    officer = users["commune_officer"]
    task, other = plan_2026.tasks.order_by("number")
    activity, _warnings = services.save_activity(
        officer,
        None,
        task=task,
        deliverable=task.deliverables.get(code="1.1"),
        date=dt.date(2026, 3, 2),
        quantity=2,
        title="Tuyên truyền tại chợ Văn Miếu",
    )
    assert activity.agency == Agency.objects.get(kind=Agency.Kind.COMMUNE, unit=officer.unit)
    assert (activity.unit, activity.district) == (officer.unit, None)
    assert activity in restrict(Activity.objects.all(), officer, VIEW)
    assert activity not in restrict(Activity.objects.all(), users["district_officer"], VIEW)
    with pytest.raises(Denied) as refused:
        services.save_activity(
            officer,
            None,
            task=other,
            deliverable=other.deliverables.get(),
            date=dt.date(2026, 3, 2),
            quantity=1,
            title="Lớp tập huấn",
        )
    assert refused.value.code == ProgressErrorCode.TASK_OUT_OF_SCOPE
    assert Activity.objects.count() == 1
