"""The page form for recording a commitment or a spending against a budget allocation; the
rules (who may, the reason above the allocation) are in `plans.budget`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from scpvn.plans.models import BudgetEntry


class BudgetEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=BudgetEntry.Kind.choices)
    # Text, read by the service: officers write amounts as 150.000.000.
    amount = forms.CharField(label=_("Số tiền (đồng)"), max_length=30)
    date = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.CharField(
        label=_("Chứng từ"),
        max_length=255,
        help_text=_("Số, ngày của hợp đồng, quyết định hoặc ủy nhiệm chi."),
    )
    reason = forms.CharField(
        label=_("Lý do vượt dự toán"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi tổng đã chi vượt dự toán."),
    )
