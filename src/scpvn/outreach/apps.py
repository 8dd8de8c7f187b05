from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Trainings, workshops and conferences; media items; PSS guidance and pilots."""

    name = "scpvn.outreach"
    verbose_name = _("Tập huấn, truyền thông và PSS")
