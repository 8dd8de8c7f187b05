"""Deciding a simple `Q` against a model object already in memory, without a query.

A permission scope is a `Q` (orgs.policy), and asking whether one object is in it is a query
(`filter(pk=…).filter(q).exists()`). Most scopes are a few comparisons on the object's own
columns (`district_id = 5 OR unit_id IN (…)`): for an object just read from the database,
the answer is in its attributes, and on a hot path (a visit received over OpenRosa) the query
costs more to compile than the rest of the check.

`matches` decides only what it can decide exactly as the database would, and says None
otherwise so the caller asks the database:
- lookups `exact`, `in` and `isnull` on a concrete column of the model itself (no joins);
- values that are plain scalars of the column's own Python type (or collections of them
  for `in`), no expressions or subqueries: the database would convert "5" for an integer
  column, Python would not compare it equal, so such a condition is left to the database;
- AND and OR, never NOT (nor XOR): without negation SQL's unknown (a NULL compared) excludes a row
  exactly as false does, so NULL compared to anything can be taken as false.
"""

from typing import Any

from django.db.models import Model, Q
from django.db.models.constants import LOOKUP_SEP

_SCALARS = (int, str, bool)
_LOOKUPS = ("exact", "in", "isnull")


def matches(q: Q, obj: Model) -> bool | None:
    """Whether `obj`'s row satisfies `q`, or None when that needs the database."""
    if q.negated or q.connector not in (Q.AND, Q.OR):  # NOT, or XOR
        return None
    results = []
    for child in q.children:
        result = matches(child, obj) if isinstance(child, Q) else _condition(*child, obj)
        if result is None:
            return None
        results.append(result)
    if not results:  # Q(): every row
        return True
    return all(results) if q.connector == Q.AND else any(results)


def _condition(key: str, value: Any, obj: Model) -> bool | None:
    name, _, lookup = key.partition(LOOKUP_SEP)
    lookup = lookup or "exact"
    if lookup not in _LOOKUPS:
        return None
    column = _column(type(obj), name)
    if column is None:
        return None
    actual = getattr(obj, column)
    if lookup == "isnull":
        return (actual is None) == bool(value) if isinstance(value, bool) else None
    if lookup == "in":
        if not isinstance(value, list | tuple | set | frozenset):
            return None
        # SQL: a NULL in the list matches nothing, and a NULL column is in no list
        wanted = [v for v in value if v is not None]
        if not all(_comparable(actual, v) for v in wanted):
            return None
        return actual is not None and actual in wanted
    if value is None:  # Django writes `= None` as IS NULL
        return actual is None
    if not _comparable(actual, value):
        return None
    return actual is not None and actual == value


def _comparable(actual: Any, value: Any) -> bool:
    """Python compares these as the database would: a plain scalar of the column's type."""
    if not isinstance(value, _SCALARS):
        return False
    return actual is None or isinstance(value, type(actual))


def _column(model: type[Model], name: str) -> str | None:
    """The attribute holding `name`'s column (`district` and `district_id` both give
    `district_id`), when `name` is a concrete column of the model itself."""
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            # a foreign key named by its relation is compared by its column too; a model
            # instance as the value is not a scalar, so is left to the database
            return field.attname
    if name == "pk":
        return model._meta.pk.attname
    return None
