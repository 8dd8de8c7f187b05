"""An offline map of a journey: district centroids projected onto an SVG, no tiles."""

from dataclasses import dataclass

from scpvn.geo.models import District
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
    districts = list(District.objects.exclude(latitude=None).exclude(longitude=None))
    if not districts or not places:
        return None
    lats = [d.latitude for d in districts]
    lons = [d.longitude for d in districts]
    lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)

    def project(lat: float, lon: float) -> tuple[float, float]:
        x = MARGIN + (lon - lon0) / ((lon1 - lon0) or 1) * (WIDTH - 2 * MARGIN)
        y = MARGIN + (lat1 - lat) / ((lat1 - lat0) or 1) * (HEIGHT - 2 * MARGIN)
        return round(x, 1), round(y, 1)

    points: list[Point] = []
    per_district: dict[int, int] = {}
    for number, place in enumerate(places, start=1):
        district = place.district
        if district.latitude is None or district.longitude is None:
            continue
        x, y = project(district.latitude, district.longitude)
        shift = per_district.get(district.pk, 0)
        per_district[district.pk] = shift + 1
        points.append(Point(x + 9 * shift, y - 6 * shift, place.name, number))
    return JourneyMap(
        districts=[Point(*project(d.latitude, d.longitude), d.short_name) for d in districts],
        places=points,
        path=" ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points)),
    )
