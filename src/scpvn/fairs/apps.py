from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.workspace import WorkspaceSection


class FairsConfig(AppConfig):
    """Connection chains, fairs, their booths and the enterprises' applications."""

    name = "scpvn.fairs"
    verbose_name = _("Hội chợ và chuỗi kết nối")
    workspace = [
        WorkspaceSection(
            _("Đăng ký hội chợ"),
            "scpvn.fairs.workspace.application_rows",
            _("Chưa đăng ký hội chợ nào."),
            order=40,
            more_url_name="network:fairs",
        )
    ]
