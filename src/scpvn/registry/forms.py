from django import forms
from django.utils.translation import gettext_lazy as _

from scpvn.core.files import UploadValidator


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp XLSX hoặc CSV"),
        validators=[UploadValidator({"xlsx", "csv"})],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, chưa ghi"), required=False)
