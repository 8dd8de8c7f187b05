from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """The competitiveness survey: sample from the registry, answers, sector reports."""

    name = "scpvn.surveys"
    verbose_name = _("Khảo sát năng lực cạnh tranh")
