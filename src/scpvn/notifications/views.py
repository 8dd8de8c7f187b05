from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import ListView

from scpvn.notifications import services
from scpvn.notifications.models import Notification
from scpvn.orgs.access import RoleRequiredMixin


class NotificationListView(RoleRequiredMixin, ListView):
    """The signed-in person's notifications; POST marks them all read."""

    template_name = "notifications/list.html"
    paginate_by = 50

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user)

    def post(self, request):
        services.mark_read(request.user)
        return HttpResponseRedirect(reverse("notifications:list"))
