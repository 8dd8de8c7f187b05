"""A commune officer is scoped to one unit of the map; a district officer to their old
district and the units below it."""

import datetime as dt

import pytest

from scpvn.assessments.models import Questionnaire, Response
from scpvn.assessments.services import responses_visible_to
from scpvn.geo.models import District, Unit, Ward
from scpvn.progress.models import Activity
from scpvn.progress.services import activities_visible_to
from scpvn.registry.models import Enterprise
from scpvn.registry.services import enterprises_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(mini_plan):
    """One enterprise, response and activity on each of two 2025 wards, and an enterprise
    filed on an old commune of Đống Đa (no district)."""
    own = Ward.objects.get(name="Phường Văn Miếu - Quốc Tử Giám").unit
    other = Ward.objects.get(name="Phường Hoàn Kiếm").unit
    old_commune = Unit.objects.filter(parent=District.objects.get(code="006").unit).first()
    questionnaire = Questionnaire.objects.filter(is_active=True).first()
    task = mini_plan.tasks.get(number=1)
    made = {}
    for name, unit in (("own", own), ("other", other), ("old", old_commune)):
        enterprise = Enterprise.objects.create(
            tax_code=f"01{len(made):08d}", name=name, unit=unit, vsic_code="4711"
        )
        Response.objects.create(
            questionnaire=questionnaire,
            enterprise=enterprise,
            district=None,
            unit=unit,
            date=dt.date(2026, 1, 5),
        )
        Activity.objects.create(
            task=task,
            agency=task.lead,
            unit=unit,
            date=dt.date(2026, 1, 5),
            quantity=1,
            title=name,
        )
        made[name] = enterprise
    return made


def names(queryset, field="name"):
    return set(queryset.values_list(field, flat=True))


def test_commune_officer_sees_only_its_wards_records(users, records):
    officer = users["commune_officer"]
    assert names(enterprises_visible_to(officer)) == {"own"}
    assert names(responses_visible_to(officer), "enterprise__name") == {"own"}
    assert names(activities_visible_to(officer), "title") == {"own"}


def test_district_officer_sees_the_units_below_its_district(users, records):
    assert "old" in names(enterprises_visible_to(users["district_officer"]))
    assert not {"own", "other"} & names(enterprises_visible_to(users["district_officer"]))


def test_commune_officer_must_name_its_unit(users):
    from django.core.exceptions import ValidationError

    officer = users["commune_officer"]
    officer.unit = None
    with pytest.raises(ValidationError) as refused:
        officer.clean()
    assert "unit" in refused.value.error_dict
