from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "scpvn.core"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from scpvn.core.sqlite import remember_dates
        from scpvn.core.tokens import connect_signals

        connect_signals()
        remember_dates()
