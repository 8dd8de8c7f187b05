"""The form renderer gives every widget its Bootstrap class and marks invalid fields."""

from html.parser import HTMLParser

import pytest
from django import forms

from scpvn.core.forms import BootstrapFormRenderer, QuickSelect


class Sample(forms.Form):
    name = forms.CharField(label="Tên")
    kind = forms.ChoiceField(label="Loại", choices=[("a", "A"), ("b", "B")])
    mode = forms.ChoiceField(label="Kiểu", choices=[("x", "X")], widget=forms.RadioSelect)
    agree = forms.BooleanField(label="Đồng ý", required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"class": "font-monospace"}))
    secret = forms.CharField(required=False, widget=forms.HiddenInput)


def test_settings_use_the_bootstrap_renderer():
    assert isinstance(Sample().renderer, BootstrapFormRenderer)


def test_widgets_carry_their_bootstrap_class():
    html = str(Sample())
    form = Sample()
    assert 'class="form-control"' in str(form["name"])
    assert 'class="form-select"' in str(form["kind"])
    assert 'class="form-check-input"' in str(form["mode"][0].tag())
    assert '<div class="form-check"><input type="radio"' in html
    assert 'class="form-check-input"' in str(form["agree"])
    assert 'class="form-control font-monospace"' in str(form["note"])
    assert "class=" not in str(form["secret"])
    assert '<label class="form-label" for="id_name">' in html


def test_invalid_fields_show_bootstrap_feedback():
    form = Sample(data={"kind": "zz", "mode": "x"})
    html = str(form)
    assert 'class="form-control is-invalid"' in str(form["name"])
    assert 'aria-invalid="true"' in str(form["name"])
    assert 'class="form-select is-invalid"' in str(form["kind"])
    assert html.count('class="invalid-feedback d-block"') == 2
    assert "is-invalid" not in str(form["mode"][0].tag())


class _Elements(HTMLParser):
    """The elements, attributes and texts of an HTML fragment, whitespace between aside."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.found.append(("/", tag))

    def handle_data(self, data):
        if data.strip():
            self.found.append(data.strip())


CHOICES = [("", "Mọi quận"), ("001", "Ba Đình"), ("006", 'Đống Đa <"&>'), ("6", "Sáu")]


@pytest.mark.parametrize("value", [None, "", "001", "006", "6", 6, "zzz", ["001", "006"]])
def test_quick_select_writes_what_django_select_writes(value):
    """Same elements, attributes, selected option and escaping as Django's template."""
    attrs = {"id": "id_district", "class": "form-select"}
    quick = QuickSelect(choices=CHOICES).render("district", value, attrs)
    django = forms.Select(choices=CHOICES).render("district", value, attrs)
    assert _Elements(quick).found == _Elements(django).found
    assert quick.count(" selected") == (value != "zzz")  # one, unless no option has it


@pytest.mark.django_db
def test_quick_select_offers_the_districts_as_the_model_field_does(mini_plan):
    from scpvn.registry.filtersets import EnterpriseFilterSet

    for data in ({}, {"district": "006"}):
        field = EnterpriseFilterSet(data).form["district"]
        plain = forms.Select(choices=list(field.field.choices))
        assert (
            _Elements(str(field)).found
            == _Elements(
                plain.render(
                    "district", field.value(), {"id": field.auto_id, "class": "form-select"}
                )
            ).found
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "scpvn.registry.filtersets.EnterpriseFilterSet",
        "scpvn.registry.filtersets.PlaceFilterSet",
        "scpvn.assessments.filtersets.ResponseFilterSet",
        "scpvn.assessments.filtersets.VisitFilterSet",
        "scpvn.progress.filtersets.ActivityFilterSet",
        "scpvn.indicators.filtersets.IndicatorValueFilterSet",
    ],
)
def test_every_list_writes_its_commune_and_district_filters_quickly(mini_plan, path):
    """The commune filter offers a province's 127 options on every list that has it: each
    list writes it with `QuickSelect` (Django's template cost the activity list 9 ms), the
    same elements as Django's select, a value chosen included."""
    from django.utils.module_loading import import_string

    from scpvn.geo.filtersets import CommuneFilter, DistrictFilter
    from scpvn.geo.placing import installed_communes

    filterset = import_string(path)
    chosen = str(installed_communes()[0].pk) if installed_communes() else ""
    placed = [
        name
        for name, filter_ in filterset.base_filters.items()
        if isinstance(filter_, CommuneFilter | DistrictFilter)
    ]
    assert "unit" in placed
    for name in placed:
        field = filterset({"unit": chosen}).form[name]
        assert isinstance(field.field.widget, QuickSelect)
        plain = forms.Select(choices=list(field.field.choices))
        attrs = field.build_widget_attrs({"id": field.auto_id})
        assert (
            _Elements(str(field)).found == _Elements(plain.render(name, field.value(), attrs)).found
        )


def test_quick_select_options_follow_the_active_language():
    """The options are remembered by their text in the active language, so a label that
    follows the language (the empty choice's) is never served in the other one."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    widget = QuickSelect(choices=[("", gettext_lazy("Mọi xã, phường")), ("1", "Ba Đình")])
    with translation.override("vi"):
        vietnamese = widget.render("unit", "")
    with translation.override("en"):
        english = widget.render("unit", "")
    with translation.override("vi"):
        again = widget.render("unit", "1")
    assert "Mọi xã, phường" in vietnamese and "Any commune or ward" in english
    assert "Mọi xã, phường" in again and '<option value="1" selected>' in again


def test_quick_select_keeps_safe_and_unsafe_labels_of_the_same_text_apart():
    """A label marked safe is written as it is and a plain one escaped, as Django's select
    does, whichever of the two selects was written first."""
    from django.utils.safestring import mark_safe

    text = "<b>Ba Đình</b>"
    for order in ((mark_safe(text), text), (text, mark_safe(text))):
        for label in order:
            written = QuickSelect(choices=[("1", label)]).render("d", "")
            expected = forms.Select(choices=[("1", label)]).render("d", "")
            assert _Elements(written).found == _Elements(expected).found
            assert ("&lt;b&gt;" in written) == (label is text)


@pytest.mark.django_db
def test_the_commune_filter_offers_a_commune_by_its_new_name_once_renamed(mini_plan):
    """The commune filter's options are remembered with the units: renaming a unit (which
    forgets the remembered reference data, `geo.apps`) shows the new name on the next page."""
    from scpvn.geo.placing import installed_communes
    from scpvn.registry.filtersets import EnterpriseFilterSet

    commune = installed_communes()[0]
    assert commune.name in str(EnterpriseFilterSet({}).form["unit"])
    commune.name = "Phường Thử Đổi Tên"
    commune.save()
    assert "Phường Thử Đổi Tên" in str(EnterpriseFilterSet({}).form["unit"])
