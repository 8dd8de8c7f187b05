"""Choosing an enterprise: a list while the user's scope holds few, a tax code box once it
holds many (a list of the province's 100,000 made a 10 MB page that took 20 s), the scope
kept either way."""

import pytest
from django import forms

from scpvn.core import choosers
from scpvn.core.choosers import offer_by_key
from scpvn.geo.models import District
from scpvn.registry.choosers import TAX_CODE
from scpvn.registry.demo import tax_codes
from scpvn.registry.models import Enterprise

pytestmark = pytest.mark.django_db


class Pick(forms.Form):
    enterprise = forms.ModelChoiceField(Enterprise.objects.none())


@pytest.fixture
def registry(monkeypatch):
    """Five enterprises in Đống Đa and one in another district; lists stop at three."""
    monkeypatch.setattr(choosers, "LIST_LIMIT", 3)
    dongda = District.objects.get(code="006")
    elsewhere = District.objects.exclude(pk=dongda.pk).first()
    codes = tax_codes(6)
    made = [
        Enterprise.objects.create(tax_code=code, name=f"Công ty Xanh {i}", district=dongda)
        for i, code in enumerate(codes[:5])
    ]
    made.append(Enterprise.objects.create(tax_code=codes[5], name="Công ty Xa", district=elsewhere))
    return dongda, made


def test_many_enterprises_are_chosen_by_tax_code_within_the_scope(registry):
    dongda, made = registry
    in_dongda = Enterprise.objects.filter(district=dongda)
    form = Pick({"enterprise": made[2].tax_code})
    offer_by_key(form.fields["enterprise"], in_dongda, TAX_CODE)
    assert isinstance(form.fields["enterprise"].widget, forms.TextInput)
    assert form.is_valid() and form.cleaned_data["enterprise"] == made[2]
    assert "<option" not in str(form["enterprise"])

    outside = Pick({"enterprise": made[5].tax_code})
    offer_by_key(outside.fields["enterprise"], in_dongda, TAX_CODE)
    assert not outside.is_valid()
    assert outside.errors["enterprise"] == [
        "Không có doanh nghiệp mang mã số thuế này trong phạm vi của bạn."
    ]


def test_a_few_enterprises_are_a_list(registry):
    _dongda, made = registry
    form = Pick({"enterprise": made[0].pk})
    offer_by_key(
        form.fields["enterprise"], Enterprise.objects.filter(pk__in=[made[0].pk]), TAX_CODE
    )
    assert isinstance(form.fields["enterprise"].widget, forms.Select)
    assert form.is_valid() and form.cleaned_data["enterprise"] == made[0]
