from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.officers import OFFICER_ROLES
from scpvn.orgs.pages import ActionView, OfficerCreateView
from scpvn.outreach.forms import GuidanceForm, PilotCompleteForm
from scpvn.outreach.models import GuidanceDocument, PssPilot
from scpvn.outreach.services import pss


class PssIndexView(RoleRequiredMixin, TemplateView):
    template_name = "outreach/pss.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "documents": GuidanceDocument.objects.all(),
            "pilots": PssPilot.objects.select_related("host", "workshop"),
        }


class GuidanceCreateView(OfficerCreateView):
    model = GuidanceDocument
    form_class = GuidanceForm
    save_with = staticmethod(pss.publish_guidance)
    extra_context = {"multipart": True}

    def get_success_url(self) -> str:
        return reverse("network:pss")


class PilotDetailView(RoleRequiredMixin, DetailView):
    model = PssPilot
    template_name = "outreach/pilot_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "manager": user_has_role(self.request.user, OFFICER_ROLES),
            "complete_form": PilotCompleteForm(initial={"results": self.object.results}),
        }


class PilotCompleteView(ActionView):
    success_message = gettext_lazy("Đã ghi nhận mô hình hoàn thành.")

    def get_object(self):
        return get_object_or_404(PssPilot, pk=self.kwargs["pk"])

    def act(self, pilot) -> None:
        form = PilotCompleteForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        pss.complete_pilot(
            self.request.user,
            pilot,
            results=form.cleaned_data["results"],
            on=form.cleaned_data["on"],
        )
