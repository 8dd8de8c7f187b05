from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """The competitiveness survey: sample from the registry, run on a questionnaire of the
    assessments engine, sector reports."""

    name = "scpvn.surveys"
    verbose_name = _("Khảo sát năng lực cạnh tranh")

    def ready(self) -> None:
        # Connects the count of surveyed enterprises to the engine's `response_submitted`.
        from scpvn.surveys import services  # noqa: F401
