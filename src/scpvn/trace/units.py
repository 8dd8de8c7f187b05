"""Units of measure (UN/CEFACT Recommendation 20 common codes) and the one conversion
between them, for the query parameters that name a unit: `GE_value_FAH=80` must find a
sensor report of 27 `CEL`, `LT_quantity_GRM=500` a quantity of 0.4 `KGM`.

The codes, their dimension and their relation to the dimension's SI unit are data
(`data/units.csv`); every conversion is affine (`si = value * factor + offset`) with a
positive factor, so it keeps the order of values and a comparison in one unit is the same
comparison, converted, in another.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

UNITS_FILE = Path(__file__).resolve().parent / "data" / "units.csv"
SIGNIFICANT = 12  # digits kept after a conversion: 26.099999999999998 °C is 26.1 °C


@dataclass(frozen=True)
class Unit:
    code: str
    dimension: str
    factor: float
    offset: float


@cache
def units() -> dict[str, Unit]:
    lines = [line for line in UNITS_FILE.read_text().splitlines() if not line.startswith("#")]
    table: dict[str, Unit] = {}
    for row in csv.DictReader(lines):
        factor = float(row["factor"])
        if factor <= 0 or row["code"] in table:
            raise ValueError(f"{UNITS_FILE.name}: {row['code']}: bad or repeated unit")
        table[row["code"]] = Unit(row["code"], row["dimension"], factor, float(row["offset"]))
    return table


def comparable(code: str) -> list[str]:
    """The codes a value in `code` can be compared with (itself first); an unknown code is
    comparable with itself only."""
    unit = units().get(code)
    if unit is None:
        return [code]
    others = sorted(c for c, u in units().items() if u.dimension == unit.dimension and c != code)
    return [code, *others]


def convert(value: float, source: str, target: str) -> float:
    """`value` in unit `source` expressed in unit `target` (same dimension)."""
    if source == target:
        return value
    table = units()
    if source not in table or target not in table:
        raise KeyError(f"{source} → {target}")
    a, b = table[source], table[target]
    if a.dimension != b.dimension:
        raise ValueError(f"{source} ({a.dimension}) và {target} ({b.dimension}) khác thứ nguyên")
    si = value * a.factor + a.offset
    return float(f"{(si - b.offset) / b.factor:.{SIGNIFICANT}g}")
