from django import forms
from django.utils.translation import gettext_lazy as _

from scpvn.core.files import DOCUMENTS, IMAGES, UploadValidator
from scpvn.outreach.models import Event, GuidanceDocument, MediaItem, Registration

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GuidanceForm(forms.ModelForm):
    link = forms.URLField(label=_("Đường dẫn"), required=False, assume_scheme="https")

    class Meta:
        model = GuidanceDocument
        fields = ["title", "summary", "file", "link", "published", "agency", "deliverable"]
        widgets = {"published": DATE}


class PilotCompleteForm(forms.Form):
    results = forms.CharField(label=_("Kết quả"), widget=forms.Textarea(attrs={"rows": 4}))
    on = forms.DateField(label=_("Ngày hoàn thành"), widget=DATE)


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "date",
            "venue",
            "district",
            "audience",
            "capacity",
            "agency",
            "deliverable",
        ]
        widgets = {"date": DATE}


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["full_name", "organization", "email", "phone"]


class SignInSheetForm(forms.Form):
    sheet = forms.FileField(
        label=_("Bảng điểm danh (XLSX)"), validators=[UploadValidator({"xlsx"})]
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255)
    file = forms.FileField(label=_("Tệp"), validators=[UploadValidator(DOCUMENTS | IMAGES)])


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    useful = forms.CharField(
        label=_("Nội dung hữu ích"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    suggestions = forms.CharField(
        label=_("Đề xuất"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MediaItemForm(forms.ModelForm):
    link = forms.URLField(label=_("Đường dẫn"), required=False, assume_scheme="https")

    class Meta:
        model = MediaItem
        fields = [
            "kind",
            "title",
            "outlet",
            "date",
            "link",
            "file",
            "print_quantity",
            "agency",
            "deliverable",
        ]
        widgets = {"date": DATE}
