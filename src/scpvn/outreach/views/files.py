"""Files attached to outreach records (an event's materials, PSS guidance, media items),
served only to those who may see the record: uploads are never public under MEDIA_URL.
Mounted under the `network:` namespace (`network:file <kind> <pk>`)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from scpvn.core.files import serve_protected_file
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.outreach.models import GuidanceDocument, Material, MediaItem

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
