"""Indicator values per period and unit, as the engine computed them or as entered by hand.

A value row holds what is needed to read and check it: the numerator and denominator, how
many subjects were observed out of how many registered (coverage), and where it came from.
The records that counted are not copied here: the provenance page asks the engine, which
lists them with the same code that counted them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scpvn.core.files import DOCUMENTS, IMAGES, UploadValidator
from scpvn.core.periods import PeriodKind
from scpvn.geo.areas import area_name


class IndicatorValue(models.Model):
    class Source(models.TextChoices):
        COMPUTED = "computed", _("Tính từ dữ liệu")
        MANUAL = "manual", _("Nhập tay")

    # no index of its own: the (indicator, period) index below serves every lookup by
    # indicator, and a plan's thousands of values are rewritten at each recompute
    indicator = models.ForeignKey(
        "plans.Indicator", on_delete=models.CASCADE, related_name="values", db_index=False
    )
    period = models.CharField(_("kỳ"), max_length=10)  # 2020, 2020-H1, 2020-Q3, 2020-07
    period_kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quận, huyện"),
        help_text=_("để trống: toàn Thành phố"),
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã, phường"),
        help_text=_("chỉ tiêu tính theo xã, phường; để trống cùng quận, huyện: toàn Thành phố"),
    )
    value = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=4, null=True)
    numerator = models.DecimalField(_("tử số"), max_digits=20, decimal_places=4, null=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=20, decimal_places=4, null=True)
    observed = models.PositiveIntegerField(_("số đối tượng đã khảo sát"), default=0)
    population = models.PositiveIntegerField(_("số đối tượng trong sổ"), default=0)
    coverage = models.DecimalField(_("độ bao phủ (%)"), max_digits=7, decimal_places=2, null=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    manual = models.ForeignKey(
        "ManualValue", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField(
        _("giá trị có từ"),
        auto_now=True,
        help_text=_("lúc giá trị này được ghi; lần tính lại ra cùng giá trị giữ nguyên nó"),
    )

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        ordering = ["indicator", "start", "period_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "district"],
                condition=models.Q(district__isnull=False),
                name="indicator_value_per_district",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "unit"],
                condition=models.Q(unit__isnull=False),
                name="indicator_value_per_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=models.Q(district__isnull=True, unit__isnull=True),
                name="indicator_value_per_city",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        place = area_name(self) or "TP"
        return f"{self.indicator.code} {self.period} {place}: {self.value}"


class ManualValue(models.Model):
    """A value entered by hand (the national 5.1/5.2.x) with the document it comes from."""

    indicator = models.ForeignKey(
        "plans.Indicator", on_delete=models.CASCADE, related_name="manual_values"
    )
    period = models.CharField(_("kỳ"), max_length=10)
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=4)
    source_title = models.CharField(_("văn bản nguồn"), max_length=255)
    source_document = models.FileField(
        _("tệp văn bản"),
        upload_to="indicators/sources/%Y/",
        validators=[UploadValidator(DOCUMENTS | IMAGES)],
    )
    note = models.TextField(_("ghi chú"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giá trị nhập tay")
        verbose_name_plural = _("giá trị nhập tay")
        ordering = ["-entered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"
