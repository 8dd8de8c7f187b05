from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.pages import ActionView, OfficerCreateView, attempt
from scpvn.orgs.roles import ALL_ROLES, OFFICER_ROLES
from scpvn.outreach.forms import (
    EventForm,
    FeedbackForm,
    MaterialForm,
    RegistrationForm,
    SignInSheetForm,
)
from scpvn.outreach.models import Event
from scpvn.outreach.services import events as event_services


class EventListView(RoleRequiredMixin, ListView):
    template_name = "outreach/event_list.html"
    queryset = Event.objects.select_related("deliverable", "district").with_registrations()


class EventCreateView(OfficerCreateView):
    model = Event
    form_class = EventForm
    save_with = staticmethod(event_services.create_event)


class EventDetailView(RoleRequiredMixin, DetailView):
    model = Event
    template_name = "outreach/event_detail.html"

    def get_context_data(self, **kwargs):
        event = self.object
        return super().get_context_data(**kwargs) | {
            "registrations": event.registrations.all(),
            "materials": event.materials.all(),
            "feedback": event.feedback.aggregate(n=Count("pk"), avg=Avg("rating")),
            "manager": user_has_role(self.request.user, OFFICER_ROLES),
            "registration_form": RegistrationForm(),
            "sheet_form": SignInSheetForm(),
            "material_form": MaterialForm(),
        }


class EventActionView(ActionView):
    """register / sign-in sheet / material / held / cancel, each a form on the event page."""

    def get_object(self):
        return get_object_or_404(Event, pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        event = self.get_object()
        action = request.POST.get("action")
        if action == "register":
            form = RegistrationForm(request.POST)
            if form.is_valid():
                attempt(
                    request,
                    lambda: event_services.register(request.user, event, **form.cleaned_data),
                    _("Đã đăng ký."),
                )
            else:
                messages.error(request, form.errors.as_text())
        elif action == "signin":
            form = SignInSheetForm(request.POST, request.FILES)
            if form.is_valid():
                self._import(event, form.cleaned_data["sheet"])
            else:
                messages.error(request, form.errors.as_text())
        elif action == "material":
            form = MaterialForm(request.POST, request.FILES)
            if form.is_valid():
                attempt(
                    request,
                    lambda: event_services.add_material(request.user, event, **form.cleaned_data),
                    _("Đã tải lên tài liệu."),
                )
            else:
                messages.error(request, form.errors.as_text())
        elif action == "held":
            attempt(
                request,
                lambda: event_services.mark_held(request.user, event),
                _("Đã ghi nhận sự kiện đã tổ chức."),
            )
        elif action == "cancel":
            attempt(
                request,
                lambda: event_services.cancel_event(request.user, event),
                _("Đã hủy sự kiện."),
            )
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
        return redirect(event.get_absolute_url())

    def _import(self, event: Event, sheet) -> None:
        try:
            result = event_services.import_sign_in_sheet(self.request.user, event, sheet)
        except ValidationError as exc:
            messages.error(
                self.request, _("Không nhập được bảng điểm danh: ") + "; ".join(exc.messages)
            )
            return
        messages.success(
            self.request,
            _("Điểm danh: %(m)s người đã đăng ký, %(a)s người đến trực tiếp.")
            % {"m": result.marked, "a": result.added},
        )


class FeedbackView(RoleRequiredMixin, FormView):
    """Any signed-in participant (staff or enterprise) may leave feedback after the event."""

    allowed_roles = ALL_ROLES
    form_class = FeedbackForm
    template_name = "orgs/service_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(Event, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("Phiếu đánh giá: %(e)s") % {"e": self.event}
        }

    def form_valid(self, form):
        ok = attempt(
            self.request,
            lambda: event_services.give_feedback(
                self.request.user, self.event, **form.cleaned_data
            ),
            _("Cảm ơn bạn đã gửi đánh giá."),
        )
        if not ok:
            return self.form_invalid(form)
        return redirect(
            "network:events" if user_has_role(self.request.user, OFFICER_ROLES) else "network:index"
        )
