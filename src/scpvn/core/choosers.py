"""Choosing one record on a form among many.

A list is the best chooser while it is short. Past `LIST_LIMIT` rows (a city officer sees
the province's 100,000 enterprises; 4,012 lots at 20,000 events) a list made pages of
megabytes that took seconds to render, so the form asks instead for the key the user has at
hand: a tax code, a GLN, the text of a label. The field's queryset stays the user's scope
either way, and a key outside it is refused like any choice not offered.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

LIST_LIMIT = 200


def many(queryset: QuerySet) -> bool:
    """Whether `queryset` holds more than `LIST_LIMIT` rows (counting stops past it)."""
    return queryset[: LIST_LIMIT + 1].count() > LIST_LIMIT


@dataclass(frozen=True)
class Key:
    """What a box asks for once a list would be too long: the record's `field` (tax code,
    GLN…), the box's hint and the refusal of a value outside the scope, in the user's words;
    `suggest` names a list API whose `?q=` the box's suggestions come from (`app.js`)."""

    field: str
    placeholder: str
    refused: str
    suggest: str = ""


def offer_by_key(field: forms.ModelChoiceField, queryset: QuerySet, key: Key) -> None:
    """Let `field` choose among `queryset`: a list while it is short, else a box for `key`."""
    field.queryset = queryset
    if not many(queryset):
        return
    field.to_field_name = key.field
    attrs = {"autocomplete": "off", "placeholder": key.placeholder}
    if key.suggest:
        attrs["data-suggest"] = reverse(key.suggest)
    field.widget = forms.TextInput(attrs=attrs)
    field.error_messages["invalid_choice"] = key.refused
