from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "scpvn.network"
    verbose_name = _("Mạng lưới kinh doanh xanh")
