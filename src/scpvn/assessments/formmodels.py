"""Published XLSForms and the OpenRosa submissions they receive (kept beside the engine's
models: a published version *is* a `Questionnaire` row, with its compiled XForm).

Imported at the end of `models.py` so Django registers them with the assessments app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scpvn.assessments.models import Questionnaire, Response
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


class Submission(models.Model):
    """An OpenRosa submission: the instance as received, once per `instanceID`, and the
    response it became. GPS is kept as numbers for the checks against the place."""

    instance_id = models.CharField(max_length=100, unique=True)
    form = models.ForeignKey(PublishedForm, on_delete=models.PROTECT, related_name="submissions")
    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="submission")
    xml = models.TextField()
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy = models.FloatField(_("sai số GPS (m)"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bản gửi OpenRosa")
        verbose_name_plural = _("bản gửi OpenRosa")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.instance_id
