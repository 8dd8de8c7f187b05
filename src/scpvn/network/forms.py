from django import forms
from django.utils.translation import gettext_lazy as _

from scpvn.core.files import DOCUMENTS, IMAGES, UploadValidator
from scpvn.network.models import (
    Event,
    FairEvent,
    GreenPoint,
    GuidanceDocument,
    MediaItem,
    Registration,
)
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
        self.fields["enterprise"].queryset = enterprises


class CloseFairForm(forms.Form):
    visitors = forms.IntegerField(label=_("Lượt khách"), min_value=0)


class SalesForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Doanh thu (đồng)"), min_value=0, max_digits=16, decimal_places=0
    )


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
        self.fields["enterprise"].queryset = enterprises
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
