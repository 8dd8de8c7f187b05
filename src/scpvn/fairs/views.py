from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from scpvn.fairs import services as fairs
from scpvn.fairs.forms import ApplicationForm, CloseFairForm, FairEventForm, SalesForm
from scpvn.fairs.models import FairApplication, FairEvent
from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.pages import (
    OFFICER_ROLES,
    ActionView,
    OfficerCreateView,
    attempt,
)
from scpvn.orgs.roles import ALL_ROLES
from scpvn.registry.services import enterprises_visible_to


class FairListView(RoleRequiredMixin, ListView):
    allowed_roles = ALL_ROLES
    template_name = "fairs/fair_list.html"
    queryset = FairEvent.objects.select_related("chain", "district").with_allocated()

    def get_context_data(self, **kwargs):
        manager = user_has_role(self.request.user, OFFICER_ROLES)
        return super().get_context_data(**kwargs) | {"manager": manager}


class FairCreateView(OfficerCreateView):
    model = FairEvent
    form_class = FairEventForm

    def save(self, form):
        zones = [z.strip() for z in form.cleaned_data["zones"].split(",") if z.strip()]
        return fairs.create_fair(self.request.user, form.save(commit=False), zones)


class FairDetailView(RoleRequiredMixin, DetailView):
    """Officers see the layout and every application; an enterprise user their own."""

    allowed_roles = ALL_ROLES
    model = FairEvent
    template_name = "fairs/fair_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        applications = event.applications.select_related("enterprise", "booth").filter(
            enterprise__in=enterprises_visible_to(self.request.user)
        )
        context.update(
            applications=applications,
            booths=event.booths.select_related("application__enterprise"),
            manager=user_has_role(self.request.user, OFFICER_ROLES),
            allocated=event.applications.filter(status=FairApplication.Status.ALLOCATED).count(),
            sales=applications.aggregate(total=Sum("reported_sales"))["total"],
            close_form=CloseFairForm(),
            sales_form=SalesForm(),
        )
        return context


class ApplyView(RoleRequiredMixin, FormView):
    allowed_roles = ALL_ROLES
    form_class = ApplicationForm
    template_name = "orgs/service_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(FairEvent, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "enterprises": enterprises_visible_to(self.request.user)
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("Đăng ký gian hàng: %(e)s") % {"e": self.event}
        }

    def form_valid(self, form):
        ok = attempt(
            self.request,
            lambda: fairs.apply_for_booth(self.request.user, event=self.event, **form.cleaned_data),
            _("Đã gửi đăng ký gian hàng."),
        )
        return redirect(self.event.get_absolute_url()) if ok else self.form_invalid(form)


class ApplicationActionView(ActionView):
    """accept / reject / withdraw / check-in / sales on one application."""

    ACTIONS = {
        "accept": (
            lambda u, a, data: fairs.review_application(u, a, accept=True),
            gettext_lazy("Đã xét duyệt."),
        ),
        "reject": (
            lambda u, a, data: fairs.review_application(u, a, accept=False),
            gettext_lazy("Đã từ chối."),
        ),
        "withdraw": (
            lambda u, a, data: fairs.withdraw_application(u, a),
            gettext_lazy("Đã rút đăng ký."),
        ),
        "checkin": (lambda u, a, data: fairs.check_in(u, a), gettext_lazy("Đã điểm danh.")),
        "sales": (
            lambda u, a, data: ApplicationActionView.sales(u, a, data),
            gettext_lazy("Đã ghi doanh thu."),
        ),
    }

    @staticmethod
    def sales(user, application, data):
        form = SalesForm(data)
        if not form.is_valid():
            raise ValidationError(_("Doanh thu không hợp lệ."))
        return fairs.report_sales(user, application, form.cleaned_data["amount"])

    def get_object(self):
        return get_object_or_404(FairApplication, pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        application = self.get_object()
        action = self.ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, _("Thao tác không hợp lệ."))
        else:
            attempt(
                request,
                lambda: action[0](request.user, application, request.POST),
                str(action[1]),
            )
        return redirect(application.event.get_absolute_url())


class CloseFairView(ActionView):
    success_message = gettext_lazy("Đã ghi nhận hội chợ đã tổ chức.")

    def get_object(self):
        return get_object_or_404(FairEvent, pk=self.kwargs["pk"])

    def act(self, event) -> None:
        form = CloseFairForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Số lượt khách không hợp lệ."))
        fairs.close_fair(self.request.user, event, visitors=form.cleaned_data["visitors"])
