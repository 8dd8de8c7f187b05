from django.views.generic import TemplateView

from scpvn.fairs.models import FairEvent
from scpvn.greenpoints.models import GreenPoint
from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.roles import ALL_ROLES, STAFF_ROLES
from scpvn.outreach.models import Event, MediaItem, PssPilot
from scpvn.surveys.models import Survey


class IndexView(RoleRequiredMixin, TemplateView):
    """The network's front page: what each module holds, and where to go."""

    allowed_roles = ALL_ROLES
    template_name = "network/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "staff": user_has_role(self.request.user, STAFF_ROLES),
            "open_fairs": FairEvent.objects.filter(status=FairEvent.Status.OPEN).order_by(
                "start_date"
            )[:5],
            "counts": {
                "fairs": FairEvent.objects.count(),
                "points": GreenPoint.objects.count(),
                "pilots": PssPilot.objects.count(),
                "surveys": Survey.objects.count(),
                "events": Event.objects.count(),
                "media": MediaItem.objects.count(),
            },
        }
