"""Filters the FilterSets of several apps share (list pages and API alike)."""

from django_filters import rest_framework as filters

# the largest value a database integer column holds (BigAutoField ids, years alike)
LARGEST_INTEGER = 2**63 - 1


def whole_number_filter(field_name: str, label, **kwargs) -> filters.NumberFilter:
    """A filter on an integer column (an id, a year): a number beyond what the column can
    hold is a 400 with the field named, not an integer overflow in the database driver
    (`/api/indicator-values/?plan=1e30` was a 500 on SQLite; progress had its own bounds)."""
    return filters.NumberFilter(
        field_name=field_name,
        label=label,
        min_value=0,
        max_value=LARGEST_INTEGER,
        decimal_places=0,
        **kwargs,
    )
