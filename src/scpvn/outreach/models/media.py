"""Communications (tasks 1 and 8): articles, TV reports, clips and printed material."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from scpvn.core.files import DOCUMENTS, IMAGES, UploadValidator
from scpvn.plans.fields import agency_field, deliverable_field


class MediaItem(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("Bài viết")
        TV = "tv", _("Phóng sự truyền hình")
        CLIP = "clip", _("Clip")
        HANDBOOK = "handbook", _("Cẩm nang")
        FLYER = "flyer", _("Tờ rơi")
        POSTER = "poster", _("Áp phích")

    PRINTED = frozenset({Kind.HANDBOOK, Kind.FLYER, Kind.POSTER})

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    outlet = models.CharField(_("cơ quan báo chí, nơi phát hành"), max_length=255)
    date = models.DateField(_("ngày đăng, phát"))
    link = models.URLField(_("đường dẫn"), blank=True)
    file = models.FileField(
        _("tệp"),
        upload_to="network/media/",
        blank=True,
        validators=[UploadValidator(DOCUMENTS | IMAGES)],
    )
    print_quantity = models.PositiveIntegerField(_("số lượng in"), null=True, blank=True)
    agency = agency_field()
    deliverable = deliverable_field()

    class Meta:
        db_table = "network_mediaitem"  # the table kept its name when the app split
        verbose_name = _("sản phẩm truyền thông")
        verbose_name_plural = _("sản phẩm truyền thông")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:media-edit", args=[self.pk])
