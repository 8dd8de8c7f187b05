"""Reference data remembered per process: the tree under a unit (every scope check of a local
officer walks it) and the schematic maps (`geo.cartogram`).

Both depend only on the reference data (the units, the conversion table, the districts and
their centres), which changes when `scpvn geo load` runs, not while people work. So each is
read or drawn once per process and remembered here. Saving or deleting a unit, a succession
or a district forgets everything (`geo.apps`), as does loading the reference data
(`geo.services.load_reference_data`); code that changes them with `update()` or
`bulk_create()` elsewhere calls `forget()`. The memo is each process's own: a web server
reads reference data loaded by another process once restarted, as it does after any upgrade
that ships new reference data.
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
