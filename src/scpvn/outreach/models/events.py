"""Trainings, workshops and conferences (tasks 2, 4, 5, 6, 9, 10): scheduling,
registration, attendance from the sign-in sheet, feedback and materials."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from scpvn.core.files import DOCUMENTS, IMAGES, UploadValidator
from scpvn.core.paging import in_model_order
from scpvn.plans.fields import agency_field, deliverable_field


class EventQuerySet(models.QuerySet):
    def with_registrations(self) -> "EventQuerySet":
        """Each event with `registered` and `attended` counted in the same query: a count
        per event made a list of events one query longer per row. In its order: Django
        leaves the model's ordering out of a query with GROUP BY."""
        return in_model_order(
            self.annotate(
                registered=models.Count("registrations", distinct=True),
                attended=models.Count(
                    "registrations", filter=models.Q(registrations__attended=True), distinct=True
                ),
            )
        )


class Event(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Tập huấn")
        WORKSHOP = "workshop", _("Hội thảo")
        CONFERENCE = "conference", _("Hội nghị")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Đã lên lịch")
        HELD = "held", _("Đã tổ chức")
        CANCELLED = "cancelled", _("Đã hủy")

    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("tên sự kiện"), max_length=255)
    date = models.DateField(_("ngày tổ chức"))
    venue = models.CharField(_("địa điểm"), max_length=255)
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quận, huyện"),
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_events",
        verbose_name=_("đơn vị hành chính"),
        help_text=_("Phường, xã từ 1/7/2025; quận, huyện hoặc xã cũ cho hồ sơ trước đó."),
    )
    audience = models.CharField(pgettext_lazy("audience", "đối tượng"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("số chỗ"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    agency = agency_field()
    deliverable = deliverable_field()
    history = HistoricalRecords(table_name="network_historicalevent")
    objects = EventQuerySet.as_manager()

    class Meta:
        db_table = "network_event"  # the table kept its name when the app split
        verbose_name = _("tập huấn, hội thảo, hội nghị")
        verbose_name_plural = _("tập huấn, hội thảo, hội nghị")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:event", args=[self.pk])


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    full_name = models.CharField(_("họ và tên"), max_length=255)
    organization = models.CharField(_("đơn vị"), max_length=255, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    attended = models.BooleanField(_("có mặt"), default=False)

    class Meta:
        db_table = "network_registration"  # the table kept its name when the app split
        verbose_name = _("đăng ký tham dự")
        verbose_name_plural = _("đăng ký tham dự")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="one_registration_per_email")
        ]

    def __str__(self) -> str:
        return self.full_name


class Feedback(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("mức độ hài lòng (1–5)"))
    useful = models.TextField(_("nội dung hữu ích"), blank=True)
    suggestions = models.TextField(_("đề xuất"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "network_feedback"  # the table kept its name when the app split
        verbose_name = _("phiếu đánh giá")
        verbose_name_plural = _("phiếu đánh giá")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.rating}/5"


class Material(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(
        _("tệp"), upload_to="network/materials/", validators=[UploadValidator(DOCUMENTS | IMAGES)]
    )

    class Meta:
        db_table = "network_material"  # the table kept its name when the app split
        verbose_name = _("tài liệu sự kiện")
        verbose_name_plural = _("tài liệu sự kiện")

    def __str__(self) -> str:
        return self.title
