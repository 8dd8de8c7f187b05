from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "scpvn.assessments"
    verbose_name = _("Khảo sát và kiểm tra")
