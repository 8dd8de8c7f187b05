from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from scpvn.core import clock
from scpvn.core.files import serve_protected_file
from scpvn.greenpoints import services as greenpoints
from scpvn.greenpoints.forms import AssessmentForm, CertifyForm, GreenPointForm
from scpvn.greenpoints.models import GreenPoint
from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.officers import OFFICER_ROLES
from scpvn.orgs.pages import ActionView, attempt
from scpvn.orgs.roles import ALL_ROLES
from scpvn.registry.services import enterprises_visible_to


def points_visible_to(user):
    return GreenPoint.objects.filter(enterprise__in=enterprises_visible_to(user)).select_related(
        "field", "district", "enterprise"
    )


class GreenPointListView(RoleRequiredMixin, ListView):
    allowed_roles = ALL_ROLES
    template_name = "greenpoints/greenpoint_list.html"

    def get_queryset(self):
        return points_visible_to(self.request.user).prefetch_related("certificates")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"today": clock.today()}


class GreenPointApplyView(RoleRequiredMixin, FormView):
    allowed_roles = ALL_ROLES
    form_class = GreenPointForm
    template_name = "orgs/service_form.html"
    extra_context = {"title": gettext_lazy("Đăng ký điểm kinh doanh xanh"), "multipart": True}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "enterprises": enterprises_visible_to(self.request.user)
        }

    def form_valid(self, form):
        created = []
        ok = attempt(
            self.request,
            lambda: created.append(
                greenpoints.apply_green_point(self.request.user, **form.cleaned_data)
            ),
            _("Đã gửi hồ sơ đăng ký."),
        )
        return redirect(created[0].get_absolute_url()) if ok else self.form_invalid(form)


class GreenPointDetailView(RoleRequiredMixin, DetailView):
    """The application, its assessments and certificates; officers score and certify here."""

    allowed_roles = ALL_ROLES
    template_name = "greenpoints/greenpoint_detail.html"

    def get_queryset(self):
        return points_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        point, today = self.object, clock.today()
        context.update(
            today=today,
            current=point.current_certificate(today),
            certificates=point.certificates.all(),
            assessments=point.assessments.select_related("assessor"),
            manager=user_has_role(self.request.user, OFFICER_ROLES),
            assessment_form=kwargs.get("assessment_form")
            or AssessmentForm(criteria=point.field.criteria.all(), initial={"date": today}),
            certify_form=CertifyForm(initial={"on": today}),
        )
        return context


class AssessView(RoleRequiredMixin, FormView):
    allowed_roles = OFFICER_ROLES
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        point = get_object_or_404(GreenPoint, pk=kwargs["pk"])
        form = AssessmentForm(request.POST, criteria=point.field.criteria.all())
        if form.is_valid():
            attempt(
                request,
                lambda: greenpoints.assess(
                    request.user,
                    point,
                    date=form.cleaned_data["date"],
                    scores=form.scores(),
                    note=form.cleaned_data["note"],
                ),
                _("Đã lưu kết quả đánh giá."),
            )
        else:
            messages.error(
                request, _("Điểm đánh giá không hợp lệ: %(e)s") % {"e": form.errors.as_text()}
            )
        return redirect(point.get_absolute_url())


class CertifyView(ActionView):
    success_message = gettext_lazy("Đã cấp giấy chứng nhận.")

    def get_object(self):
        return get_object_or_404(GreenPoint, pk=self.kwargs["pk"])

    def act(self, point) -> None:
        form = CertifyForm(self.request.POST)
        on = form.cleaned_data["on"] if form.is_valid() else clock.today()
        greenpoints.certify(self.request.user, point, on=on)


class DossierView(RoleRequiredMixin, View):
    """A green point's dossier, for those who may see the point (its enterprise, officers);
    uploads are never public under MEDIA_URL."""

    allowed_roles = ALL_ROLES

    def get(self, request, pk: int):
        point = get_object_or_404(points_visible_to(request.user), pk=pk)
        return serve_protected_file(request, point.evidence, allowed=True)
