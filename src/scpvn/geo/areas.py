"""Where a record is, as pages, reports and values name it."""

from typing import Any


def area_name(record: Any, *, short: bool = False) -> str:
    """The commune or ward of today a record is in (every record made since 1 July 2025 has
    one), else the old district it was registered in: its full name, or its short name for
    a list's narrow column ("" when it has neither). Records made before the reform keep their
    district and may have no unit; those made after have a unit and no district."""
    unit = getattr(record, "unit", None)
    if unit is not None:
        return unit.name
    district = getattr(record, "district", None)
    if district is None:
        return ""
    return district.short_name if short else district.name
