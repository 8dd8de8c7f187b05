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
    stored indicator values stale, as a change to an answer does."""
    from scpvn.indicators.signals import watch

    CONDITIONS[name] = RegisteredCondition(name, value_type, responses)
    for model in stale_on:
        watch(model)
