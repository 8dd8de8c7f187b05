"""Surveys and inspections as data.

A `Questionnaire` (code + version) holds typed `Question`s; it is assigned to enterprises or
places; each visit or submission is a `Response` with one `Answer` per question. Question
codes are stable across versions, so the indicator engine reads every version of a code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scpvn.core.files import IMAGES, UploadValidator


class Questionnaire(models.Model):
    class Subject(models.TextChoices):
        ENTERPRISE = "enterprise", _("Doanh nghiệp")
        PLACE = "place", _("Chợ, siêu thị, TTTM")

    code = models.CharField(_("mã"), max_length=40)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    title = models.CharField(_("tên phiếu"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    subject = models.CharField(_("đối tượng"), max_length=20, choices=Subject.choices)
    place_kinds = models.JSONField(_("loại cơ sở"), default=list, blank=True)
    indicators = models.JSONField(_("phục vụ chỉ tiêu"), default=list, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("phiếu khảo sát, kiểm tra")
        verbose_name_plural = _("phiếu khảo sát, kiểm tra")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} — {self.title}"


class Question(models.Model):
    class Type(models.TextChoices):
        NUMBER = "number", _("Số")
        YES_NO = "yes_no", _("Có/Không")
        SINGLE = "single", _("Chọn một")
        MULTIPLE = "multiple", _("Chọn nhiều")
        TEXT = "text", _("Văn bản")
        DATE = "date", _("Ngày")
        PHOTO = "photo", _("Ảnh")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("mã"), max_length=60)
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(_("câu hỏi"))
    type = models.CharField(_("kiểu"), max_length=10, choices=Type.choices)
    choices = models.JSONField(_("lựa chọn"), default=list, blank=True)
    unit = models.CharField(_("đơn vị"), max_length=30, blank=True)
    required = models.BooleanField(_("bắt buộc"), default=False)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    def choice_label(self, value: str) -> str:
        return next((c["label"] for c in self.choices if c["value"] == value), value)


SUBJECT_XOR = models.Q(enterprise__isnull=False, place__isnull=True) | models.Q(
    enterprise__isnull=True, place__isnull=False
)


class Assignment(models.Model):
    """A questionnaire that an enterprise or a place is asked to answer."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="assignments"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    place = models.ForeignKey(
        "registry.Place",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    due = models.DateField(_("hạn trả lời"), null=True, blank=True)
    # The plan deliverable the visits count toward (task 10's inspections): each response to
    # this assignment is a module record of it, so a visit counts once.
    deliverable = models.ForeignKey(
        "plans.Deliverable",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sản phẩm đầu ra được tính"),
    )
    # The agency running the survey this assignment belongs to (a competitiveness survey's
    # sample, say): only its officers enter answers for the subject, which still answers
    # for itself. Empty: any officer who reaches the subject may.
    agency = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan thực hiện"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân công khảo sát")
        verbose_name_plural = _("phân công khảo sát")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=SUBJECT_XOR, name="assignment_one_subject"),
            models.UniqueConstraint(
                fields=["questionnaire", "enterprise"],
                condition=models.Q(enterprise__isnull=False),
                name="assignment_once_per_enterprise",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "place"],
                condition=models.Q(place__isnull=False),
                name="assignment_once_per_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.code} → {self.enterprise or self.place}"

    @property
    def subject(self):
        return self.enterprise or self.place


class Response(models.Model):
    """One survey submission or inspection visit, dated when the situation was observed."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
    )
    place = models.ForeignKey(
        "registry.Place", on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    # The subject's district when observed: scopes and per-district figures read it directly.
    # Empty for a subject filed on its 2025 ward alone: `unit` places the response then.
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("đơn vị hành chính"),
        help_text=_("Phường, xã từ 1/7/2025; quận, huyện hoặc xã cũ cho hồ sơ trước đó."),
    )
    date = models.DateField(_("ngày khảo sát, kiểm tra"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=SUBJECT_XOR, name="response_one_subject")]
        indexes = [
            models.Index(fields=["questionnaire", "date"]),
            models.Index(fields=["district", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.code} · {self.enterprise or self.place} · {self.date}"

    @property
    def subject(self):
        return self.enterprise or self.place


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    boolean = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    photo = models.FileField(
        upload_to="assessments/photos/%Y/%m/", blank=True, validators=[UploadValidator(IMAGES)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.question.code} = {self.display}"

    @property
    def display(self) -> str:
        kind = self.question.type
        if kind == Question.Type.NUMBER:
            return "" if self.number is None else f"{self.number.normalize():f}"
        if kind == Question.Type.YES_NO:
            return {True: gettext("Có"), False: gettext("Không")}.get(self.boolean, "")
        if kind == Question.Type.SINGLE:
            return self.question.choice_label(self.text)
        if kind == Question.Type.MULTIPLE:
            return ", ".join(self.question.choice_label(c) for c in self.choices)
        if kind == Question.Type.DATE:
            return self.date.strftime("%d/%m/%Y") if self.date else ""
        if kind == Question.Type.PHOTO:
            return self.photo.name.rsplit("/", 1)[-1] if self.photo else ""
        return self.text


class RepeatPhoto(models.Model):
    """A photo taken inside a repeat group (one per stall of a market, say). The repeat's
    answer keeps its rows as before (JSON text, the photo's cell holding the file name the
    device gave it), so whatever reads the rows reads them unchanged; the file itself is kept
    here, with the repeat instance it belongs to (`position`, 1-based) and its place in the
    instance (`path`, as `/data/stalls[2]/photo`)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="repeat_photos")
    position = models.PositiveIntegerField(_("lần lặp"))
    path = models.CharField(_("vị trí trong biểu mẫu"), max_length=255)
    photo = models.FileField(
        _("tệp ảnh"), upload_to="assessments/photos/%Y/%m/", validators=[UploadValidator(IMAGES)]
    )

    class Meta:
        verbose_name = _("ảnh trong nhóm lặp")
        verbose_name_plural = _("ảnh trong nhóm lặp")
        ordering = ["answer", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["answer", "path"], name="repeat_photo_once")]

    def __str__(self) -> str:
        return self.path


# Published XLSForms and OpenRosa submissions live in their own module.
from scpvn.assessments.formmodels import PublishedForm, Submission  # noqa: E402, F401
