"""Offline maps of an indicator. By district: one circle per district at its centroid (placed
by `geo.projection`), sized by how many subjects were observed and coloured by the value
against the target. By commune and ward (a plan on the 2025 units): one square per unit of the
schematic tile-grid map (`geo.cartogram`), coloured the same way."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from scpvn.core.numbers import up_to_two_decimals
from scpvn.core.tables import html_rows
from scpvn.geo.cartogram import cartogram
from scpvn.geo.models import Unit
from scpvn.geo.projection import project_districts
from scpvn.indicators.models import IndicatorValue

WIDTH, HEIGHT, PAD = 640, 600, 40
# ColorBrewer RdYlGn, worst to best; grey where nothing was measured.
SCALE = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]
NO_DATA = "#bdbdbd"


@dataclass(frozen=True)
class MapPoint:
    code: str
    name: str
    x: float
    y: float
    r: float
    colour: str
    value: Decimal | None


@dataclass
class WardMap:
    """The schematic map: a cell per placed unit, the old districts' names over their
    clusters, and the units that could not be placed (listed under the map).

    The cells and labels come as SVG built here rather than in the template: a province's
    126 cells through template tags cost more than the rest of the page (issue #12)."""

    cells: SafeString
    labels: SafeString
    unplaced: list[Unit]


def legend() -> list[tuple[str, str]]:
    """(colour, label) of each bin of `colour`, then the no-data grey."""
    step = 100 // len(SCALE)
    bins = [(c, f"{i * step}–{(i + 1) * step} %") for i, c in enumerate(SCALE[:-1])]
    return [*bins, (SCALE[-1], f"≥ {(len(SCALE) - 1) * step} %"), (NO_DATA, "")]


def colour(value: Decimal | None, target: Decimal | None) -> str:
    """Bins of the share of the target reached (of 100 when the plan sets no target)."""
    if value is None:
        return NO_DATA
    goal = target or Decimal(100)
    share = max(Decimal(0), min(Decimal(1), value / goal)) if goal else Decimal(1)
    return SCALE[min(len(SCALE) - 1, int(share * len(SCALE)))]


def district_map(values: list[IndicatorValue], target: Decimal | None) -> list[MapPoint]:
    by_district = {v.district_id: v for v in values if v.district_id}
    biggest = max([v.observed for v in by_district.values()] + [1])
    points = []
    for place in project_districts(WIDTH, HEIGHT, PAD):
        district = place.district
        value = by_district.get(district.pk)
        observed = value.observed if value else 0
        points.append(
            MapPoint(
                code=district.code,
                name=district.short_name,
                x=place.x,
                y=place.y,
                r=round(6 + 16 * math.sqrt(observed / biggest), 1),
                colour=colour(value.value if value else None, target),
                value=value.value if value else None,
            )
        )
    return points


def ward_map(
    values: list[IndicatorValue], target: Decimal | None, unit: str, province: Unit
) -> WardMap:
    """The province's current communes and wards, each coloured by its value (grey without);
    `unit` is the indicator's unit of measure, said in each cell's tooltip."""
    by_unit = {v.unit_id: v.value for v in values if v.unit_id}
    no_data = _("chưa có số liệu")
    drawn = cartogram(province, WIDTH, HEIGHT, PAD)
    write = up_to_two_decimals()
    rows = []
    for tile in drawn.tiles:
        value = by_unit.get(tile.unit.pk)
        text = no_data if value is None else f"{write(value)} {unit}"
        fill = colour(value, target)
        rows.append((tile.unit.code, tile.unit.name, text, tile.x, tile.y, tile.size, fill))
    cells = html_rows(
        '<g class="ward" data-code="{0}"><title>{1}: {2}</title><rect x="{3}" y="{4}"'
        ' width="{5}" height="{5}" fill="{6}" stroke="#fff" stroke-width="1"></rect></g>',
        rows,
    )
    labels = html_rows(
        '<text class="district-label" x="{}" y="{}" font-size="9" text-anchor="middle"'
        ' dominant-baseline="middle" fill="#222" pointer-events="none" aria-hidden="true">'
        "{}</text>",
        ((label.x, label.y, label.district.short_name) for label in drawn.labels),
    )
    return WardMap(cells=cells, labels=labels, unplaced=drawn.unplaced)
