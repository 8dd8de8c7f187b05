"""Fields every counted module record shares: the deliverable it feeds and who runs it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_LABEL = _("sản phẩm đầu ra được tính")


def deliverable_field(verbose_name=DEFAULT_LABEL) -> models.ForeignKey:
    """The plan deliverable a record counts toward, chosen by the officer (never hard-coded),
    so the same module serves any province's plan."""
    return models.ForeignKey(
        "plans.Deliverable",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def agency_field() -> models.ForeignKey:
    return models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
