from django.db.models import Count, Sum
from django.urls import reverse_lazy
from django.views.generic import ListView

from scpvn.orgs.access import RoleRequiredMixin
from scpvn.orgs.pages import OfficerCreateView, OfficerUpdateView
from scpvn.outreach.forms import MediaItemForm
from scpvn.outreach.models import MediaItem
from scpvn.outreach.services import media


class MediaListView(RoleRequiredMixin, ListView):
    template_name = "outreach/media_list.html"
    queryset = MediaItem.objects.select_related("deliverable")

    def get_context_data(self, **kwargs):
        totals = MediaItem.objects.values("kind").annotate(
            n=Count("pk"), copies=Sum("print_quantity")
        )
        kinds = dict(MediaItem.Kind.choices)
        return super().get_context_data(**kwargs) | {
            "totals": [(kinds[t["kind"]], t["n"], t["copies"]) for t in totals.order_by("kind")]
        }


class MediaCreateView(OfficerCreateView):
    model = MediaItem
    form_class = MediaItemForm
    save_with = staticmethod(media.save_media_item)
    success_url = reverse_lazy("network:media")
    extra_context = {"multipart": True}


class MediaUpdateView(OfficerUpdateView):
    model = MediaItem
    form_class = MediaItemForm
    save_with = staticmethod(media.save_media_item)
    success_url = reverse_lazy("network:media")
    extra_context = {"multipart": True}
