"""A fair is placed on the unit tree at the level it was made, and a unit that did not exist
on its date is refused before anything is written."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from scpvn.fairs import services as fairs
from scpvn.fairs.models import Booth, FairEvent
from scpvn.geo.models import Unit, Ward
from scpvn.geo.placing import UNIT_NOT_VALID

pytestmark = pytest.mark.django_db


def new_fair(sct, dongda, start: dt.date, unit=None) -> FairEvent:
    return FairEvent(
        name="Hội chợ",
        venue="Nhà văn hóa",
        district=dongda,
        unit=unit,
        agency=sct,
        start_date=start,
        end_date=start,
        capacity=2,
    )


def test_fair_before_the_reform_falls_on_its_old_district(actor, sct, dongda):
    event = fairs.create_fair(actor, new_fair(sct, dongda, dt.date(2024, 5, 1)), ["Khu A"])
    event.refresh_from_db()
    assert event.unit_id == dongda.unit_id
    assert event.unit.level == Unit.Level.DISTRICT and event.unit.valid_to is not None


def test_fair_after_the_reform_keeps_its_ward(actor, sct, dongda):
    ward = Ward.objects.get(name="Phường Văn Miếu - Quốc Tử Giám").unit
    event = fairs.create_fair(actor, new_fair(sct, dongda, dt.date(2026, 3, 1), ward), ["Khu A"])
    assert FairEvent.objects.get(pk=event.pk).unit == ward


def test_fair_after_the_reform_is_not_put_on_the_abolished_district(actor, sct, dongda):
    event = fairs.create_fair(actor, new_fair(sct, dongda, dt.date(2026, 3, 1)), ["Khu A"])
    assert FairEvent.objects.get(pk=event.pk).unit is None


@pytest.mark.parametrize(
    ("unit_of", "day"),
    [
        # an old district named for a fair held after it was abolished
        (lambda dongda: dongda.unit, dt.date(2026, 3, 1)),
        # a 2025 ward named for a fair held before it existed
        (
            lambda dongda: Ward.objects.get(name="Phường Văn Miếu - Quốc Tử Giám").unit,
            dt.date(2024, 3, 1),
        ),
    ],
)
def test_unit_not_valid_on_the_date_is_refused_and_nothing_written(
    actor, sct, dongda, unit_of, day
):
    with pytest.raises(ValidationError) as refused:
        fairs.create_fair(actor, new_fair(sct, dongda, day, unit_of(dongda)), ["Khu A"])
    assert refused.value.error_dict["unit"][0].code == UNIT_NOT_VALID
    assert not FairEvent.objects.exists() and not Booth.objects.exists()
