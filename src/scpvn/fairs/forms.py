from django import forms
from django.utils.translation import gettext_lazy as _

from scpvn.core.choosers import offer_by_key
from scpvn.fairs.models import FairEvent
from scpvn.registry.choosers import TAX_CODE
from scpvn.registry.models import Enterprise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FairEventForm(forms.ModelForm):
    zones = forms.CharField(
        label=_("Các khu trưng bày"),
        required=False,
        help_text=_("cách nhau bằng dấu phẩy; gian hàng được chia lần lượt vào các khu"),
    )

    class Meta:
        model = FairEvent
        fields = [
            "chain",
            "name",
            "venue",
            "district",
            "start_date",
            "end_date",
            "capacity",
            "agency",
            "deliverable",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}


class ApplicationForm(forms.Form):
    enterprise = forms.ModelChoiceField(Enterprise.objects.none(), label=_("Doanh nghiệp"))
    products = forms.CharField(
        label=_("Sản phẩm trưng bày"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        offer_by_key(self.fields["enterprise"], enterprises, TAX_CODE)


class CloseFairForm(forms.Form):
    visitors = forms.IntegerField(label=_("Lượt khách"), min_value=0)


class SalesForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Doanh thu (đồng)"), min_value=0, max_digits=16, decimal_places=0
    )
