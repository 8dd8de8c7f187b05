"""The answer form is built from the questionnaire's questions; the service checks values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from scpvn.assessments.models import Question, Questionnaire
from scpvn.core import clock
from scpvn.core.files import IMAGES, UploadValidator
from scpvn.geo.models import District
from scpvn.plans.models import Deliverable

YES_NO = [("true", _("Có")), ("false", _("Không"))]


def _field(question: Question) -> forms.Field:
    common = {"label": question.text, "required": question.required}
    if question.unit:
        common["help_text"] = question.unit
    choices = [(c["value"], c["label"]) for c in question.choices]
    match question.type:
        case Question.Type.NUMBER:
            return forms.DecimalField(min_value=0, localize=True, **common)
        case Question.Type.YES_NO:
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        case Question.Type.SINGLE:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        case Question.Type.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        case Question.Type.DATE:
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        case Question.Type.PHOTO:
            return forms.ImageField(
                widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                validators=[UploadValidator(IMAGES)],
                **common,
            )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)


class ResponseForm(forms.Form):
    date = forms.DateField(
        label=_("Ngày khảo sát, kiểm tra"),
        initial=clock.today,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, questionnaire: Questionnaire, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questionnaire.questions.all())
        for question in self.questions:
            self.fields[question.code] = _field(question)

    def values(self) -> dict:
        return {q.code: self.cleaned_data.get(q.code) for q in self.questions}


class AssignForm(forms.Form):
    district = forms.ModelChoiceField(
        District.objects.all(), required=False, label=_("Quận, huyện"), to_field_name="code"
    )
    distribution_only = forms.BooleanField(required=False, label=_("Chỉ doanh nghiệp phân phối"))
    industrial_zone_only = forms.BooleanField(
        required=False, label=_("Chỉ doanh nghiệp trong KCN, CCN")
    )
    vsic_prefix = forms.CharField(
        required=False, max_length=5, label=_("Mã ngành VSIC bắt đầu bằng")
    )
    due = forms.DateField(
        required=False, label=_("Hạn trả lời"), widget=forms.DateInput(attrs={"type": "date"})
    )
    deliverable = forms.ModelChoiceField(
        Deliverable.objects.none(),
        required=False,
        label=_("Tính cho sản phẩm đầu ra"),
        help_text=_("Mỗi lượt kiểm tra theo phiếu giao này được tính một lần cho sản phẩm."),
    )
    # The fields that mean something when the questionnaire is about places.
    PLACE_FIELDS = ("district", "due", "deliverable")

    def __init__(self, *args, deliverables=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deliverables is not None:
            self.fields["deliverable"].queryset = deliverables
            self.fields["deliverable"].label_from_instance = lambda d: (
                f"{d.display_code} {d.name[:80]}"
            )

    def enterprises(self, base):
        qs = base
        data = self.cleaned_data
        if data["district"]:
            qs = qs.filter(district=data["district"])
        if data["distribution_only"]:
            qs = qs.exclude(distribution="")
        if data["industrial_zone_only"]:
            qs = qs.filter(industrial_zone__isnull=False)
        if data["vsic_prefix"]:
            qs = qs.filter(vsic_code__startswith=data["vsic_prefix"].upper())
        return qs

    def places(self, base, kinds: list[str]):
        qs = base.filter(kind__in=kinds) if kinds else base
        return (
            qs.filter(district=self.cleaned_data["district"])
            if self.cleaned_data["district"]
            else qs
        )
