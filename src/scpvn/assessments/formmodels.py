"""Published XLSForms and the OpenRosa submissions they receive (kept beside the engine's
models: a published version *is* a `Questionnaire` row, with its compiled XForm).

Imported at the end of `models.py` so Django registers them with the assessments app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scpvn.assessments.models import Questionnaire, Response
from scpvn.core import review
from scpvn.core.files import UploadValidator


class PublishedForm(models.Model):
    """One version of an XLSForm: the questionnaire it became, the XForm ODK Collect and
    Enketo download, and how to read a submission of it (`mapping`)."""

    questionnaire = models.OneToOneField(
        Questionnaire, on_delete=models.PROTECT, related_name="xform"
    )
    form_id = models.CharField(_("mã biểu mẫu (form_id)"), max_length=40)
    version = models.CharField(_("phiên bản (version)"), max_length=50)
    title = models.CharField(_("tên biểu mẫu"), max_length=255)
    xml = models.TextField(_("XForm"))
    md5 = models.CharField(max_length=32)
    mapping = models.JSONField(default=dict)
    source = models.FileField(
        _("tệp XLSForm"),
        upload_to="assessments/xlsforms/%Y/",
        validators=[UploadValidator({"xlsx"})],
    )
    agency = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan ban hành"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("ngừng nhận"), null=True, blank=True)

    class Meta:
        verbose_name = _("biểu mẫu XLSForm")
        verbose_name_plural = _("biểu mẫu XLSForm")
        ordering = ["form_id", "-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["form_id", "version"], name="published_form_version")
        ]

    def __str__(self) -> str:
        return f"{self.form_id} ({self.version})"


class Submission(review.ReviewedRecord):
    """An OpenRosa submission: the instance as received, once per `instanceID`, and the
    response it became. A visit is evidence: who sent it, when, where (GPS, checked against
    the place's own point) and its photos (the response's answers). A reviewer accepts it or
    returns it (`core.review`); only an accepted visit counts toward its deliverable and is
    read by the indicators."""

    class Status(models.TextChoices):
        SUBMITTED = review.SUBMITTED, _("Chờ duyệt")
        APPROVED = review.APPROVED, _("Đã chấp nhận")
        RETURNED = review.RETURNED, _("Bị trả lại")

    class GpsCheck(models.TextChoices):
        NEAR = "near", _("Đúng vị trí")
        FAR = "far", _("Xa nơi kiểm tra")
        NO_GPS = "no_gps", _("Không có GPS")
        NO_POINT = "no_point", _("Nơi kiểm tra chưa có toạ độ")

    instance_id = models.CharField(max_length=100, unique=True)
    form = models.ForeignKey(PublishedForm, on_delete=models.PROTECT, related_name="submissions")
    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="submission")
    xml = models.TextField()
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy = models.FloatField(_("sai số GPS (m)"), null=True, blank=True)
    distance_m = models.FloatField(_("cách nơi kiểm tra (m)"), null=True, blank=True)
    gps_check = models.CharField(
        _("kiểm tra vị trí"), max_length=10, choices=GpsCheck.choices, default=GpsCheck.NO_GPS
    )
    # The visit named a place not yet in the registry, which it proposed (pending review).
    new_place = models.BooleanField(_("cơ sở mới"), default=False)
    received_at = models.DateTimeField(auto_now_add=True)
    # The review (core.review): a submission arrives submitted.
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )

    class Meta:
        verbose_name = _("bản gửi OpenRosa")
        verbose_name_plural = _("bản gửi OpenRosa")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.instance_id


def counted_responses() -> models.Q:
    """The responses that count as evidence (for deliverables and indicators): those typed
    on a page or the API, and visits received over OpenRosa once a reviewer accepted them.

    Written as "no submission that is not approved" (a response has one submission at
    most): the same responses as "no submission, or an approved one", but PostgreSQL
    estimates the anti-join well, where the OR over a left join made it expect 1 % of the
    responses and look up every joined row one by one (the indicator engine's read)."""
    waiting = Submission.objects.filter(response=models.OuterRef("pk")).exclude(
        status=Submission.Status.APPROVED
    )
    return models.Q(~models.Exists(waiting))
