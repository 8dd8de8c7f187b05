from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "scpvn.progress"
    verbose_name = _("Tiến độ thực hiện")
