from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceConfig(AppConfig):
    name = "scpvn.trace"
    verbose_name = _("Truy xuất nguồn gốc")
