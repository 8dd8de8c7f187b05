from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "scpvn.orgs"
    verbose_name = _("Cơ quan và người dùng")
