"""Data remembered per process because it does not change while people work.

- Reference data (`geo`): the units, the tree under a unit (every scope check of a local
  officer walks it), the units of the old districts and of the wards (every record is placed
  by them, `geo.placing`) and the schematic maps (`geo.cartogram`). They change when
  `scpvn geo load` runs; saving or deleting a unit, a succession, a district or a ward forgets
  everything (`geo.apps`), as does loading the reference data (`geo.services`); code that
  changes them with `update()` or `bulk_create()` elsewhere calls `forget()`.
- The questions of a questionnaire that has answers (`assessments.services.questions_of`):
  they never change, as publishing refuses new questions for an answered version and answers
  protect their questions.

Each memo is a process's own: a web server reads reference data loaded by another process
once restarted, as it does after any upgrade that ships new reference data. Tests forget
everything around each test (`conftest.py`), as rolled-back rows give their ids to the next
test's.
"""

from typing import Any

_memos: list[dict[Any, Any]] = []


def memo() -> dict[Any, Any]:
    """A new dictionary that `forget()` empties."""
    remembered: dict[Any, Any] = {}
    _memos.append(remembered)
    return remembered


def forget(**_kwargs) -> None:
    """Forget everything remembered: the reference data it came from changed. (Takes a
    signal's keyword arguments, so it can be connected as a receiver.)"""
    for remembered in _memos:
        remembered.clear()
