"""Which of many values a table holds, in one query on PostgreSQL.

An import asks which of its 20,000 tax codes the registry already holds, a capture which of
its 1,000 eventIDs the repository does. An `IN (…)` list of thousands is quoted value by
value in Python before it is sent (on SQLite, in chunks below the bound-parameter limit);
on PostgreSQL the values go as one array parameter, `column = ANY(%s)`: 20,000 tax codes
took 130-220 ms in 23 chunks, 20 ms as one array.
"""

from django.db import connection
from django.db.models import F, Lookup, QuerySet

SQLITE_CHUNK = 900  # below SQLite's bound-parameter limit


class AnyOf(Lookup):
    """`lhs = ANY(%s)`, the right-hand side a Python list sent as one array parameter
    (PostgreSQL only)."""

    lookup_name = "any_of"
    prepare_rhs = False  # the list as it is, not each value through the field

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


def present(queryset: QuerySet, field: str, values: list) -> set:
    """The values of `values` that rows of `queryset` hold in `field`."""
    if connection.vendor == "postgresql":
        return set(queryset.filter(AnyOf(F(field), values)).values_list(field, flat=True))
    found: set = set()
    for start in range(0, len(values), SQLITE_CHUNK):
        chunk = values[start : start + SQLITE_CHUNK]
        found.update(queryset.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return found
