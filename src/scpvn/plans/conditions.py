"""Conditions on a subject that an indicator's `condition` list may name besides answers to
questions, registered by the app that owns the records (trace registers `traceable`), so
the engine reads them without importing that app."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class RegisteredCondition:
    """`responses(value, end)` is the filter on assessment responses (by their enterprise or
    place) that the condition `{name: value}` selects, on the records as of `end`."""

    name: str
    value_type: type
    responses: Callable[[object, dt.date], Q]


CONDITIONS: dict[str, RegisteredCondition] = {}


def register_condition(
    name: str,
    value_type: type,
    responses: Callable[[object, dt.date], Q],
    *,
    stale_on: tuple = (),
) -> None:
    """Register `{name: value}` as a condition; a change to a `stale_on` model makes the
    stored indicator values stale, as a change to an answer does (the engine watches them
    through `on_stale_models`, whichever of the two apps is ready first)."""
    CONDITIONS[name] = RegisteredCondition(name, value_type, responses)
    for model in stale_on:
        STALE_ON.append(model)
        for watcher in _watchers:
            watcher(model)


STALE_ON: list[type] = []
_watchers: list[Callable[[type], None]] = []


def on_stale_models(watcher: Callable[[type], None]) -> None:
    """The engine asks to be told of every model whose changes make values stale: those
    registered so far now, later ones as they register."""
    _watchers.append(watcher)
    for model in STALE_ON:
        watcher(model)
