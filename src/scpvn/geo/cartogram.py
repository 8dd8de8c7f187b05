"""A schematic map of today's communes and wards: a tile-grid cartogram, drawn offline.

No openly licensed positions of the 3,321 units of 1 July 2025 could be found (see
`geo/data/NOTES.md`, "Positions of the 2025 communes and wards"), so each unit is not drawn
where it lies but as one square cell of a grid, put as near as the grid allows to the place
the official conversion table says it came from: the centroids of the old districts of its
predecessor communes (`district_centroids.csv`), weighted by how many of its old communes
each district gave. Wards of one old district therefore cluster around that district's centre
and the clusters keep the city's shape (north up, one scale on both axes, as
`geo.projection` draws the districts), but a cell's exact place within its cluster means
nothing: the map must say it is a schematic.

A unit none of whose predecessors has a centroid gets no cell; callers list it instead of
leaving it out silently.

A drawing depends only on reference data (the units, the conversion table, the centroids),
so it is made once per province and box per process and remembered (`cartogram`, in a
`core.memo`, which says when it is forgotten): every ward-level indicator page draws it, and
drawing cost 4 queries and, for Hà Nội's 126 units, about 40 ms.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from scpvn.core.memo import memo
from scpvn.geo.models import District, Unit, UnitSuccession
from scpvn.geo.services import current_communes

# Cells per side of the grid for n units is about GRID_FACTOR * sqrt(n): loose enough for
# the clusters to keep the districts' relative places, tight enough for cells to be seen.
GRID_FACTOR = 2.2


@dataclass(frozen=True)
class Anchor:
    """Where a unit's cell wants to be: the weighted centre of its old districts."""

    latitude: float
    longitude: float
    district: District  # the old district that gave it the most communes (for labels)


@dataclass(frozen=True)
class Tile:
    unit: Unit
    anchor: Anchor
    col: int
    row: int
    x: float  # top-left corner in the drawing box
    y: float
    size: float

    @property
    def cx(self) -> float:
        return round(self.x + self.size / 2, 1)

    @property
    def cy(self) -> float:
        return round(self.y + self.size / 2, 1)


@dataclass(frozen=True)
class DistrictLabel:
    district: District
    x: float
    y: float


@dataclass
class Cartogram:
    tiles: list[Tile] = field(default_factory=list)
    unplaced: list[Unit] = field(default_factory=list)
    labels: list[DistrictLabel] = field(default_factory=list)


def anchors(units: list[Unit]) -> dict[int, Anchor]:
    """Unit pk → its anchor, for the units whose predecessors lead to a district centroid.

    Each predecessor commune counts once, at its old district's centroid; a unit with no
    commune predecessor falls back to its district-level rows of the conversion table."""
    centroids = {
        d.unit_id: d
        for d in District.objects.exclude(unit=None).exclude(latitude=None).exclude(longitude=None)
    }
    from_communes: dict[int, list[int]] = defaultdict(list)
    from_districts: dict[int, list[int]] = defaultdict(list)
    # one query by the successors' index, the level sorted out here: filtering on the old
    # unit's level in SQL led SQLite to walk every old commune (0.35 s a map for Hà Nội)
    pairs = UnitSuccession.objects.filter(new__in=units).values_list(
        "new_id", "old_id", "old__level", "old__parent_id"
    )
    for new_id, old_id, level, parent_id in pairs:
        if level == Unit.Level.COMMUNE and parent_id in centroids:
            from_communes[new_id].append(parent_id)
        elif level == Unit.Level.DISTRICT and old_id in centroids:
            from_districts[new_id].append(old_id)
    result = {}
    for unit in units:
        ids = from_communes.get(unit.pk) or from_districts.get(unit.pk)
        if not ids:
            continue
        districts = [centroids[i] for i in ids]
        main = Counter(ids).most_common(1)[0][0]
        result[unit.pk] = Anchor(
            latitude=sum(d.latitude for d in districts) / len(districts),
            longitude=sum(d.longitude for d in districts) / len(districts),
            district=centroids[main],
        )
    return result


def _assign(points: dict[int, tuple[float, float]], cell: float) -> dict[int, tuple[int, int]]:
    """Each point (x east, y north, in degrees) to its own grid cell, as near as possible.

    Points are placed from the most crowded part outwards (order: distance to the median
    point, then key), each in the free cell whose centre is nearest to it; ties go north, then
    west, so the result does not depend on the database's order."""
    xs = sorted(p[0] for p in points.values())
    ys = sorted(p[1] for p in points.values())
    mid = (xs[len(xs) // 2], ys[len(ys) // 2])
    taken: set[tuple[int, int]] = set()
    placed: dict[int, tuple[int, int]] = {}
    order = sorted(points, key=lambda k: (math.dist(points[k], mid), k))
    for key in order:
        px, py = points[key]
        home = (math.floor(px / cell), math.floor(py / cell))
        radius = 0
        while True:
            ring = [
                (home[0] + dx, home[1] + dy)
                for dx in range(-radius, radius + 1)
                for dy in range(-radius, radius + 1)
                if max(abs(dx), abs(dy)) == radius and (home[0] + dx, home[1] + dy) not in taken
            ]
            if ring:
                # the nearest free cell of the first ring around home that has one
                best = min(
                    ring,
                    key=lambda c: (
                        math.dist(((c[0] + 0.5) * cell, (c[1] + 0.5) * cell), (px, py)),
                        -c[1],
                        c[0],
                    ),
                )
                placed[key] = best
                taken.add(best)
                break
            radius += 1
    return placed


_drawn: dict[tuple[int, int, int, int], Cartogram] = memo()


def cartogram(province: Unit, width: int, height: int, pad: int) -> Cartogram:
    """The province's current units as square cells in a width × height box, north up;
    remembered per process (see the module's docstring). Callers must not change it."""
    key = (province.pk, width, height, pad)
    if key not in _drawn:
        _drawn[key] = _draw(province, width, height, pad)
    return _drawn[key]


def _draw(province: Unit, width: int, height: int, pad: int) -> Cartogram:
    units = list(current_communes(province).order_by("code"))
    found = anchors(units)
    result = Cartogram(unplaced=[u for u in units if u.pk not in found])
    if not found:
        return result
    mean_lat = sum(a.latitude for a in found.values()) / len(found)
    k = math.cos(math.radians(mean_lat))
    points = {pk: (a.longitude * k, a.latitude) for pk, a in found.items()}
    span = max(
        max(p[0] for p in points.values()) - min(p[0] for p in points.values()),
        max(p[1] for p in points.values()) - min(p[1] for p in points.values()),
    )
    per_side = max(1, math.ceil(GRID_FACTOR * math.sqrt(len(points))))
    cell = (span or 0.01) / per_side
    cells = _assign(points, cell)
    min_col = min(c[0] for c in cells.values())
    max_col = max(c[0] for c in cells.values())
    min_row = min(c[1] for c in cells.values())
    max_row = max(c[1] for c in cells.values())
    cols, rows = max_col - min_col + 1, max_row - min_row + 1
    size = min((width - 2 * pad) / cols, (height - 2 * pad) / rows)
    left = (width - cols * size) / 2
    top = (height - rows * size) / 2
    by_pk = {u.pk: u for u in units}
    for pk, (col, row) in sorted(cells.items(), key=lambda item: by_pk[item[0]].code):
        grid_col, grid_row = col - min_col, max_row - row  # rows counted from the north
        result.tiles.append(
            Tile(
                unit=by_pk[pk],
                anchor=found[pk],
                col=grid_col,
                row=grid_row,
                x=round(left + grid_col * size, 1),
                y=round(top + grid_row * size, 1),
                size=round(size, 1),
            )
        )
    clusters: dict[int, list[Tile]] = defaultdict(list)
    for tile in result.tiles:
        clusters[tile.anchor.district.pk].append(tile)
    for members in clusters.values():
        result.labels.append(
            DistrictLabel(
                district=members[0].anchor.district,
                x=round(sum(t.cx for t in members) / len(members), 1),
                y=round(sum(t.cy for t in members) / len(members), 1),
            )
        )
    result.labels.sort(key=lambda label: label.district.code)
    return result
