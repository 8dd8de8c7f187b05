"""Choosing one record on a form among many.

A list is the best chooser while it is short. Past `LIST_LIMIT` rows (a city officer sees
the province's 100,000 enterprises; 4,012 lots at 20,000 events) a list made pages of
megabytes that took seconds to render, so the form asks instead for the key the user has at
hand: a tax code, a GLN, the text of a label. The field's queryset stays the user's scope
either way, and a key outside it is refused like any choice not offered.
"""

from django import forms
from django.db.models import QuerySet

LIST_LIMIT = 200


def many(queryset: QuerySet) -> bool:
    """Whether `queryset` holds more than `LIST_LIMIT` rows (counting stops past it)."""
    return queryset[: LIST_LIMIT + 1].count() > LIST_LIMIT


def offer_by_key(
    field: forms.ModelChoiceField,
    queryset: QuerySet,
    *,
    key: str,
    placeholder: str,
    refused: str,
    suggest: str = "",
) -> None:
    """Let `field` choose among `queryset`: a list while it is short, else a box for the
    record's `key`. `suggest` names a list API whose `?q=` the box's suggestions come from
    (`app.js`)."""
    field.queryset = queryset
    if not many(queryset):
        return
    field.to_field_name = key
    attrs = {"autocomplete": "off", "placeholder": placeholder}
    if suggest:
        attrs["data-suggest"] = suggest
    field.widget = forms.TextInput(attrs=attrs)
    field.error_messages["invalid_choice"] = refused
