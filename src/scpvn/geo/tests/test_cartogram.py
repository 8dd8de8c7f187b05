"""The schematic map of today's communes and wards: every unit of Hà Nội gets its own cell
near the old districts it came from, the city keeps its shape, and a unit that cannot be
placed is reported, not dropped."""

import pytest

from scpvn.geo.cartogram import anchors, cartogram
from scpvn.geo.models import District, Unit
from scpvn.geo.services import current_communes, installed_province

pytestmark = pytest.mark.django_db

WIDTH, HEIGHT, PAD = 640, 600, 40


def hanoi() -> Unit:
    return Unit.objects.get(level=Unit.Level.PROVINCE, code="01", valid_to=None)


def test_codes_are_anchored_at_their_old_districts():
    """Pinned: official 2025 code → the old district it mostly came from and the position
    its cell aims at (the centroids of `district_centroids.csv`)."""
    units = current_communes(hanoi())
    assert len(units) == 126
    found = anchors(units)
    by_code = {u.code: found[u.pk] for u in units if u.pk in found}
    expected = {
        "00070": ("002", 21.0293, 105.8518),  # Phường Hoàn Kiếm ← Quận Hoàn Kiếm (+ Ba Đình)
        "00004": ("001", 21.0374, 105.8339),  # Phường Ba Đình ← Quận Ba Đình (+ Tây Hồ)
        "00376": ("016", 21.2727, 105.8300),  # Xã Sóc Sơn ← Huyện Sóc Sơn
        "09700": ("271", 21.1413, 105.3829),  # Xã Ba Vì ← Huyện Ba Vì
        "00577": ("018", 21.0333, 105.9318),  # Xã Bát Tràng ← Huyện Gia Lâm
    }
    for code, (district, lat, lon) in expected.items():
        anchor = by_code[code]
        assert anchor.district.code == district, code
        assert (round(anchor.latitude, 4), round(anchor.longitude, 4)) == (lat, lon), code


def test_every_ward_of_hanoi_gets_its_own_cell_at_a_plausible_place():
    assert installed_province() == hanoi()
    drawn = cartogram(hanoi(), WIDTH, HEIGHT, PAD)
    assert drawn.unplaced == []
    assert len(drawn.tiles) == 126
    assert len({(t.col, t.row) for t in drawn.tiles}) == 126
    assert all(
        t.x >= PAD and t.x + t.size <= WIDTH - PAD + 0.5 and PAD <= t.y <= HEIGHT - PAD
        for t in drawn.tiles
    )
    tile = {t.unit.name: t for t in drawn.tiles}
    assert tile["Phường Hoàn Kiếm"].col > tile["Phường Ba Đình"].col  # east of Ba Đình
    assert tile["Xã Sóc Sơn"].row < tile["Phường Hoàn Kiếm"].row  # north of Hoàn Kiếm
    assert tile["Xã Ba Vì"].col < tile["Phường Hà Đông"].col  # Ba Vì far west
    assert tile["Xã Bát Tràng"].col > tile["Phường Hoàn Kiếm"].col  # across the river, east
    # a cell stays near its anchor: the inner city's 50-odd wards spread only a few cells
    assert abs(tile["Phường Hoàn Kiếm"].row - tile["Phường Ba Đình"].row) <= 3
    labels = {label.district.short_name for label in drawn.labels}
    assert {"Hoàn Kiếm", "Sóc Sơn", "Ba Vì"} <= labels
    # the same data gives the same drawing
    again = cartogram(hanoi(), WIDTH, HEIGHT, PAD)
    assert [(t.unit.code, t.col, t.row) for t in again.tiles] == [
        (t.unit.code, t.col, t.row) for t in drawn.tiles
    ]


def test_a_unit_without_a_position_is_listed_not_dropped():
    assert cartogram(hanoi(), WIDTH, HEIGHT, PAD).unplaced == []  # drawn and remembered
    soc_son = District.objects.get(code="016")
    soc_son.latitude = soc_son.longitude = None
    soc_son.save()  # forgets the remembered drawing
    drawn = cartogram(hanoi(), WIDTH, HEIGHT, PAD)
    names = {u.name for u in drawn.unplaced}
    assert "Xã Sóc Sơn" in names
    assert len(drawn.tiles) + len(drawn.unplaced) == 126
    assert not names & {t.unit.name for t in drawn.tiles}
