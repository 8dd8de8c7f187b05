"""What every network page shares: how a service's refusal reaches the officer (a message
on the page, nothing written). Who may act is the services' question (`network.access`)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, UpdateView

from scpvn.orgs.access import RoleRequiredMixin
from scpvn.orgs.officers import OFFICER_ROLES, acting_agencies


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service call; show its refusal as an error message instead of failing."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


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
        try:
            self.act(obj)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, str(self.success_message))
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
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect(self.get_success_url())

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if "agency" in form.fields:
            form.fields["agency"].queryset = acting_agencies(self.request.user)
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
        return super().get_queryset().filter(agency__in=acting_agencies(self.request.user))
