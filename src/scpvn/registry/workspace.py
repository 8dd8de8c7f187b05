"""The workspace sections the registry contributes: the user's own enterprises."""

from django.urls import reverse

from scpvn.core.workspace import WorkspaceRow
from scpvn.registry.services import enterprises_visible_to


def enterprise_rows(user) -> list[WorkspaceRow]:
    return [
        WorkspaceRow(e.name, reverse("registry:enterprise_detail", args=[e.pk]), e.tax_code)
        for e in enterprises_visible_to(user).order_by("name")
    ]
