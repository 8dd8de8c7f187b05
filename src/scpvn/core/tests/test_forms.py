"""The form renderer gives every widget its Bootstrap class and marks invalid fields."""

from django import forms

from scpvn.core.forms import BootstrapFormRenderer


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
