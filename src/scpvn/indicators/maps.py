"""An offline map of the districts: one circle per district at its centroid (placed by
`geo.projection`),
sized by how many subjects were observed and coloured by the value against the target."""

import math
from dataclasses import dataclass
from decimal import Decimal

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
