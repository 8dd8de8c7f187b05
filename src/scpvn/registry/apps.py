from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "scpvn.registry"
    verbose_name = _("Doanh nghiệp và cơ sở")
