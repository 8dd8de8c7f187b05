from django import forms
from django.utils.translation import gettext_lazy as _

from scpvn.core.choosers import offer_by_key
from scpvn.greenpoints.models import GreenPoint
from scpvn.registry.choosers import TAX_CODE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GreenPointForm(forms.ModelForm):
    class Meta:
        model = GreenPoint
        fields = [
            "enterprise",
            "field",
            "name",
            "address",
            "district",
            "description",
            "evidence",
            "deliverable",
        ]

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        offer_by_key(self.fields["enterprise"], enterprises, TAX_CODE)
        self.fields["evidence"].required = True


class AssessmentForm(forms.Form):
    date = forms.DateField(label=_("Ngày đánh giá"), widget=DATE)
    note = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.text} (0–{criterion.max_score})", min_value=0
            )
        self.criteria = list(criteria)

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class CertifyForm(forms.Form):
    on = forms.DateField(label=_("Ngày cấp"), widget=DATE)
