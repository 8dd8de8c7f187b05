from django import forms
from django.utils.translation import gettext_lazy as _

from scpvn.core.files import DOCUMENTS, IMAGES, UploadValidator
from scpvn.geo.models import District


class ManualValueForm(forms.Form):
    period = forms.CharField(
        label=_("Kỳ"), max_length=10, help_text=_("2020, 2020-H1, 2020-Q3 hoặc 2020-07")
    )
    district = forms.ModelChoiceField(
        District.objects.all(), required=False, label=_("Quận, huyện (để trống: toàn Thành phố)")
    )
    value = forms.DecimalField(label=_("Giá trị"), max_digits=18, decimal_places=4, localize=True)
    source_title = forms.CharField(label=_("Văn bản nguồn"), max_length=255)
    source_document = forms.FileField(
        label=_("Tệp văn bản nguồn"), validators=[UploadValidator(DOCUMENTS | IMAGES)]
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
