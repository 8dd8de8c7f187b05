"""Files attached to network records (a green point's dossier, an event's materials, PSS
guidance, media items), served only to those who may see the record: uploads are never
public under MEDIA_URL."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from scpvn.core.files import serve_protected_file
from scpvn.network.models import GuidanceDocument, Material, MediaItem
from scpvn.network.views.greenpoints import points_visible_to
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.orgs.roles import ALL_ROLES

# kind → (model, file field): materials, guidance and media follow their pages (staff)
STAFF_FILES = {
    "material": (Material, "file"),
    "guidance": (GuidanceDocument, "file"),
    "media": (MediaItem, "file"),
}


class StaffFileView(RoleRequiredMixin, View):
    def get(self, request, kind: str, pk: int):
        if kind not in STAFF_FILES:
            raise Http404
        model, field = STAFF_FILES[kind]
        record = get_object_or_404(model, pk=pk)
        return serve_protected_file(request, getattr(record, field), allowed=True)


class DossierView(RoleRequiredMixin, View):
    """A green point's dossier, for those who may see the point (its enterprise, officers)."""

    allowed_roles = ALL_ROLES

    def get(self, request, pk: int):
        point = get_object_or_404(points_visible_to(request.user), pk=pk)
        return serve_protected_file(request, point.evidence, allowed=True)
