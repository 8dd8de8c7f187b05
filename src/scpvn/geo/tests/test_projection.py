"""The one map projection: north up, inside the box, same scale on both axes."""

import pytest

from scpvn.geo.models import District
from scpvn.geo.projection import project_districts
from scpvn.geo.services import load_reference_data

pytestmark = pytest.mark.django_db


def test_districts_are_placed_north_up_inside_the_box():
    if not District.objects.exclude(latitude=None).exists():
        load_reference_data()
    placed = project_districts(600, 520, 30)
    assert len(placed) == District.objects.exclude(latitude=None).exclude(longitude=None).count()
    assert all(30 <= p.x <= 570 and 30 <= p.y <= 490 for p in placed)
    north = max(placed, key=lambda p: p.district.latitude)
    south = min(placed, key=lambda p: p.district.latitude)
    assert north.y < south.y
    east = max(placed, key=lambda p: p.district.longitude)
    west = min(placed, key=lambda p: p.district.longitude)
    assert east.x > west.x
