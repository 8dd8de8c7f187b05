"""Choosing an enterprise on a form.

An enterprise's own staff choose from the list of theirs. An officer who sees the whole
registry (100,000 enterprises at province size) types a tax code instead, with suggestions
from the registry's API as they type (`app.js`, `data-suggest`): a list of every enterprise
made a 10 MB page that took 20 s to render. Either way the field keeps the scope it is
given, so a tax code outside it is refused like any choice not offered.
"""

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from scpvn.registry.models import Enterprise

# more than this many enterprises and the form asks for a tax code instead of listing them
LIST_LIMIT = 200


class TaxCodeInput(forms.TextInput):
    """A tax code box; `app.js` suggests the enterprises whose name or tax code matches."""

    def __init__(self) -> None:
        super().__init__(
            attrs={
                "autocomplete": "off",
                "placeholder": _("Mã số thuế (MST) hoặc gõ tên để tìm"),
                "data-suggest": reverse_lazy("enterprise-list"),
            }
        )


def offer_enterprises(field: forms.ModelChoiceField, enterprises: QuerySet[Enterprise]) -> None:
    """Let `field` choose among `enterprises`: a list while they are at most `LIST_LIMIT`,
    else a tax code box (the count stops past the limit)."""
    field.queryset = enterprises
    if enterprises[: LIST_LIMIT + 1].count() <= LIST_LIMIT:
        return
    field.to_field_name = "tax_code"
    field.widget = TaxCodeInput()
    field.error_messages["invalid_choice"] = _(
        "Không có doanh nghiệp mang mã số thuế này trong phạm vi của bạn."
    )
