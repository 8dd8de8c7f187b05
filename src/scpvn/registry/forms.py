from django import forms
from django.utils.translation import gettext_lazy as _

from scpvn.core.files import UploadValidator
from scpvn.core.imports import check_import_file


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp XLSX hoặc CSV"),
        validators=[UploadValidator({"xlsx", "csv"})],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, chưa ghi"), required=False)

    def clean_file(self):
        """Type by content, size and unpacked size are checked before anything is kept."""
        upload = self.cleaned_data["file"]
        check_import_file(upload)
        return upload
