from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenPointsConfig(AppConfig):
    """Green business points: criteria by field, applications, assessments, certificates."""

    name = "scpvn.greenpoints"
    verbose_name = _("Điểm kinh doanh xanh")
