"""The form renderer every page uses (settings.FORM_RENDERER).

Bootstrap needs a class on each widget and on invalid fields. Adding it here, once, replaces the
per-form `widget.attrs` patches and the inline scripts that added classes in the browser (which the
content security policy forbids and which left pages unstyled without JavaScript).
"""

from functools import lru_cache

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe

from scpvn.core.tables import html_rows

CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)
SELECTED = mark_safe(" selected")


def bootstrap_class(widget: forms.Widget) -> str:
    """The Bootstrap class a widget's input elements carry ("" for hidden inputs)."""
    if widget.is_hidden:
        return ""
    if isinstance(widget, CHECK_WIDGETS):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class BootstrapBoundField(BoundField):
    """A bound field whose widget carries its Bootstrap class, and `is-invalid` when in error."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [bootstrap_class(widget), widget.attrs.get("class", ""), attrs.get("class", "")]
        if self.form.is_bound and self.errors:
            classes.append("is-invalid")
        joined = " ".join(dict.fromkeys(c for part in classes for c in part.split()))
        if joined:
            attrs["class"] = joined
        return attrs


class BootstrapFormRenderer(TemplatesSetting):
    """Renders forms and fields with the Bootstrap 5 templates in core/templates/core/forms/."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = BootstrapBoundField


class QuickSelect(forms.Select):
    """A select of flat choices (no option groups) written in Python: Django's template
    includes one template per option, and a district filter's sixty options cost more than
    the rest of a list page's filter form. Same elements and attributes as `select.html`
    (core/tests/test_forms.py compares them): the first option whose value is among the
    field's values is selected, the empty one when there is no value."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        values = set(self.format_value(value))
        # as text in the active language: the options' key below must not change meaning;
        # whether a label is safe HTML is part of it (a safe label and an unsafe one of the
        # same text equal each other as strings, yet are written differently)
        choices = tuple(
            (str(option), str(label), isinstance(label, SafeData)) for option, label in self.choices
        )
        chosen = next((i for i, (option, *_) in enumerate(choices) if option in values), None)
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final_attrs), _options(choices, chosen)
        )


@lru_cache(maxsize=256)
def _options(choices: tuple[tuple[str, str, bool], ...], chosen: int | None) -> SafeString:
    """The `<option>`s of `choices`, the `chosen`th selected, remembered by their text: a
    commune filter writes the same 127 options on every page that offers it, and escaping
    them was a tenth of the registry list's time. Escaped as `format_html_join` does."""
    return html_rows(
        '<option value="{}"{}>{}</option>',
        (
            (option, SELECTED if i == chosen else "", label)
            for i, (option, label, _safe) in enumerate(choices)
        ),
        sep="",
    )
