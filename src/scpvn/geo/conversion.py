"""Reading figures of 2020–2025 against today's units, through the official conversion table.

A record made before 1 July 2025 sits on an old district or commune. An old unit that went
whole into one new commune or ward moves there; one that was split, or only partly merged
(every old district, most old communes at its edges), cannot be divided: the table gives no
shares of area or people. Such records are kept apart, with the new units that took a part
of their unit named, rather than being put on one of them.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from scpvn.geo.models import Unit, UnitSuccession


@dataclass(frozen=True)
class Partly:
    """Records of an old unit that cannot be placed on a single new unit."""

    old: Unit
    count: int
    candidates: tuple[Unit, ...]


@dataclass
class TodayReading:
    """Counts by today's unit (records already on it, or on an old unit merged whole into
    it), and the counts left on partly merged old units, each with its candidates."""

    whole: dict[int, int] = field(default_factory=dict)
    partly: list[Partly] = field(default_factory=list)
    unplaced: int = 0

    @property
    def total(self) -> int:
        return sum(self.whole.values()) + sum(p.count for p in self.partly) + self.unplaced


def successors(unit_ids) -> dict[int, list[tuple[int, bool]]]:
    """(new unit id, merged whole) pairs of each old unit, from the conversion table."""
    pairs: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for old, new, whole in UnitSuccession.objects.filter(old_id__in=unit_ids).values_list(
        "old_id", "new_id", "whole"
    ):
        pairs[old].append((new, whole))
    return pairs


def read_against_today(counts: Mapping[int | None, int]) -> TodayReading:
    """Convert counts of records by unit id (None: records on no unit) to today's units.

    A unit still valid today keeps its count; an old unit whose conversion row says it went
    whole into one new unit gives its count to that unit; any other old unit is reported as
    `Partly`, with the new units that took part of it."""
    reading = TodayReading(unplaced=counts.get(None, 0))
    units = Unit.objects.in_bulk([pk for pk in counts if pk is not None])
    old_ids = [pk for pk, unit in units.items() if unit.valid_to is not None]
    pairs = successors(old_ids)
    candidates = Unit.objects.in_bulk({new for rows in pairs.values() for new, _w in rows})
    whole: dict[int, int] = defaultdict(int)
    for pk, count in counts.items():
        if pk is None or not count:
            continue
        unit = units[pk]
        rows = pairs.get(pk, [])
        if unit.valid_to is None:
            whole[pk] += count
        elif len(rows) == 1 and rows[0][1]:
            whole[rows[0][0]] += count
        else:
            named = tuple(sorted((candidates[new] for new, _w in rows), key=lambda u: u.code))
            reading.partly.append(Partly(old=unit, count=count, candidates=named))
    reading.whole = dict(whole)
    reading.partly.sort(key=lambda p: p.old.code)
    return reading
