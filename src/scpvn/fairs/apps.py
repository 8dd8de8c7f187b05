from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    """Connection chains, fairs, their booths and the enterprises' applications."""

    name = "scpvn.fairs"
    verbose_name = _("Hội chợ và chuỗi kết nối")
