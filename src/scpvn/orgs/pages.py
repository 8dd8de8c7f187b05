"""What the officers' pages of the fairs, green points, outreach and surveys apps share: a
service's rule refusal reaches the officer as a message on the page (`core.refusals`), nothing
written. Who may act is the services' question (`orgs.policy`, rules in each app's `scopes.py`)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, UpdateView

from scpvn.core import refusals
from scpvn.orgs.access import RoleRequiredMixin
from scpvn.orgs.models import Agency
from scpvn.orgs.policy import CHANGE, restrict
from scpvn.orgs.roles import OFFICER_ROLES
from scpvn.orgs.scopes import ACT_FOR


def attempt(
    request: HttpRequest, action: Callable[[], object], success: str | Callable[[], str]
) -> bool:
    """Run a service call; a rule's refusal becomes an error message, while a refusal of
    permission stays the 403 page network pages answer."""
    return refusals.attempt(request, action, success, catch=(ValidationError,))


class ActionView(RoleRequiredMixin, View):
    """A POST-only button on a detail page: run `act` and go back to the object."""

    allowed_roles = OFFICER_ROLES
    http_method_names = ["post"]
    success_message = ""

    def get_object(self):
        raise NotImplementedError

    def act(self, obj) -> None:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        attempt(request, lambda: self.act(obj), lambda: self.success_message)
        return redirect(self.redirect_to(obj))

    def redirect_to(self, obj) -> str:
        return obj.get_absolute_url()


class ServiceFormMixin:
    """Create/update views whose save goes through a service function (`save_with`), whose
    refusals land on the form instead of a 500."""

    template_name = "orgs/service_form.html"
    save_with: Callable | None = None

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as exc:
            refusals.add_to_form(form, exc)
            return self.form_invalid(form)
        return redirect(self.get_success_url())

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if "agency" in form.fields:
            form.fields["agency"].queryset = restrict(
                Agency.objects.all(), self.request.user, ACT_FOR
            )
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object is not None:
            context.setdefault("title", str(self.object))
        else:
            context.setdefault(
                "title", _("Thêm mới: %(what)s") % {"what": self.model._meta.verbose_name}
            )
        return context

    def save(self, form):
        obj = form.save(commit=False)
        if self.save_with is None:
            return form.save()
        return type(self).save_with(self.request.user, obj)


class OfficerCreateView(RoleRequiredMixin, ServiceFormMixin, CreateView):
    allowed_roles = OFFICER_ROLES


class OfficerUpdateView(RoleRequiredMixin, ServiceFormMixin, UpdateView):
    allowed_roles = OFFICER_ROLES

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user, CHANGE)
