"""THE projection of the offline maps (indicator maps, the portal's green points, a product's
journey): district centroids placed in a width × height box, north up, no tiles needed.
Equirectangular corrected for latitude (cos of the mean latitude), with one scale on both
axes so the city keeps its shape: fine at a city's or a province's scale."""

import math
from dataclasses import dataclass

from scpvn.geo.models import District


@dataclass(frozen=True)
class Placed:
    district: District
    x: float
    y: float


def project_districts(width: int, height: int, pad: int) -> list[Placed]:
    """Every district with a centroid, placed in the box (an empty list when none has one)."""
    districts = [d for d in District.objects.all() if d.latitude and d.longitude]
    if not districts:
        return []
    lats = [d.latitude for d in districts]
    lons = [d.longitude for d in districts]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = (max(lons) - min(lons)) * k or 1
    span_y = (max(lats) - min(lats)) or 1
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    return [
        Placed(
            district=d,
            x=round(pad + (d.longitude - min(lons)) * k * scale, 1),
            y=round(height - pad - (d.latitude - min(lats)) * scale, 1),
        )
        for d in districts
    ]
