"""Forms parse what people type; the rules about it are in `services.py`."""

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from scpvn.geo.models import District
from scpvn.plans.models import Deliverable, Task


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class ActivityForm(forms.Form):
    task = forms.ModelChoiceField(Task.objects.none(), label=_("Nhiệm vụ"))
    deliverable = forms.ModelChoiceField(
        Deliverable.objects.none(), label=_("Sản phẩm đầu ra"), required=False
    )
    date = forms.DateField(
        label=_("Ngày thực hiện"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    # Text, not a number field: services.parse_quantity explains what is wrong with it.
    quantity = forms.CharField(label=_("Số lượng"), initial="0", max_length=30)
    title = forms.CharField(label=_("Tên hoạt động"), max_length=255)
    description = forms.CharField(
        label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    district = forms.ModelChoiceField(
        District.objects.all(), label=_("Quận, huyện"), required=False
    )
    links = forms.CharField(
        label=_("Đường dẫn minh chứng (mỗi dòng một đường dẫn)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    files = MultipleFileField(label=_("Tệp minh chứng"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["deliverable"].queryset = Deliverable.objects.filter(
            task__plan__in={t.plan_id for t in tasks}
        ).select_related("task")
        self.fields["deliverable"].label_from_instance = lambda d: f"{d.code} — {d.name[:90]}"
        self.fields["task"].label_from_instance = lambda t: f"{t.number}. {t.title[:90]}"
        self.fields["files"].help_text = _(
            "PDF, ảnh PNG/JPEG/WebP, Word, Excel, PowerPoint; tối đa %(size)s mỗi tệp."
        ) % {"size": filesizeformat(settings.SCPVN_EVIDENCE_MAX_BYTES)}

    def clean_links(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(link)s” không phải đường dẫn http(s) hợp lệ.") % {"link": link}
                ) from None
        return links


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
