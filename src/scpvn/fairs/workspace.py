"""The workspace section the fairs app contributes: the enterprise's fair applications."""

from scpvn.core.workspace import WorkspaceRow
from scpvn.fairs.models import FairApplication
from scpvn.registry.services import enterprises_visible_to


def application_rows(user) -> list[WorkspaceRow]:
    applications = FairApplication.objects.filter(
        enterprise__in=enterprises_visible_to(user)
    ).select_related("event", "enterprise")
    return [
        WorkspaceRow(
            f"{a.event.name} — {a.enterprise.name}",
            a.event.get_absolute_url(),
            a.get_status_display(),
        )
        for a in applications.order_by("-event__start_date")
    ]
