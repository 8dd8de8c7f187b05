from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from scpvn.core.navigation import NavItem
from scpvn.core.workspace import WorkspaceSection
from scpvn.orgs.roles import ALL_ROLES


class TraceConfig(AppConfig):
    name = "scpvn.trace"
    verbose_name = _("Truy xuất nguồn gốc")
    nav = [NavItem(_("Truy xuất"), "trace:index", ALL_ROLES, order=70)]
    workspace = [
        WorkspaceSection(
            _("Sản phẩm và lô hàng"),
            "scpvn.trace.workspace.product_rows",
            _("Chưa khai báo sản phẩm."),
            order=30,
            more_url_name="trace:index",
        )
    ]

    def ready(self) -> None:
        from scpvn.plans.conditions import register_condition
        from scpvn.trace import (  # noqa: F401 (both listen to capture_committed)
            sockets,
            subscriptions,
        )
        from scpvn.trace.capture import traceable_responses
        from scpvn.trace.models import Capture

        # `{traceable: true}` in an indicator's conditions: the enterprise has products with
        # captured EPCIS events (4.4.2 of the Hanoi plan); a capture (stored now or by the
        # worker) changes which enterprises are.
        register_condition("traceable", bool, traceable_responses, stale_on=(Capture,))
