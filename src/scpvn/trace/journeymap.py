"""An offline map of a journey: district centroids (`geo.projection`) on an SVG, no tiles."""

from dataclasses import dataclass

from scpvn.geo.projection import project_districts
from scpvn.trace.models import Location

WIDTH, HEIGHT, MARGIN = 320, 360, 16


@dataclass
class Point:
    x: float
    y: float
    label: str
    number: int = 0


@dataclass
class JourneyMap:
    districts: list[Point]
    places: list[Point]
    path: str


def journey_map(places: list[Location]) -> JourneyMap | None:
    """Every Hanoi district as a faint dot, the journey's places numbered and joined in order.
    Places in the same district are fanned out a little so their numbers stay readable."""
    if not places:
        return None
    placed = {p.district.pk: p for p in project_districts(WIDTH, HEIGHT, MARGIN)}
    if not placed:
        return None

    points: list[Point] = []
    per_district: dict[int, int] = {}
    for number, place in enumerate(places, start=1):
        spot = placed.get(place.district_id)
        if spot is None:
            continue
        x, y = spot.x, spot.y
        shift = per_district.get(place.district_id, 0)
        per_district[place.district_id] = shift + 1
        points.append(Point(x + 9 * shift, y - 6 * shift, place.name, number))
    return JourneyMap(
        districts=[Point(p.x, p.y, p.district.short_name) for p in placed.values()],
        places=points,
        path=" ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points)),
    )
