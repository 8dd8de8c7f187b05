"""The review of visits received over OpenRosa: the list a reviewer works through (filters
shared with the API through `VisitFilterSet`), one visit with its evidence (who, when, where,
photos), and the actions: accept, return, confirm the new place it proposed. Each action is
one service call, which checks the role and scope."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from scpvn.assessments.filtersets import VisitFilterSet
from scpvn.assessments.models import Submission
from scpvn.assessments.scopes import REVIEW
from scpvn.assessments.services import accept_visit, return_visit, visits_visible_to
from scpvn.assessments.tables import VisitTable
from scpvn.assessments.views import shown_answers
from scpvn.core import refusals
from scpvn.core.object_views import ObjectDetailView, ObjectListView
from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.policy import allows
from scpvn.orgs.roles import STAFF_ROLES
from scpvn.registry.models import Place
from scpvn.registry.services import CONFIRM_ROLES, confirm_place


def _visits(user):
    return visits_visible_to(user).select_related(
        "form",
        "submitted_by",
        "reviewed_by",
        "response__place",
        "response__enterprise",
        "response__unit",
        "response__district",
    )


class VisitListView(RoleRequiredMixin, ObjectListView):
    allowed_roles = STAFF_ROLES
    filterset = VisitFilterSet
    table = VisitTable
    filter_fields = ("status", "gps_check", "form_id", "unit", "date_from", "date_to")
    title = gettext_lazy("Lượt kiểm tra gửi từ hiện trường")

    def get_scope(self):
        return _visits(self.request.user)


class VisitDetailView(RoleRequiredMixin, ObjectDetailView):
    allowed_roles = STAFF_ROLES
    template_name = "assessments/visit_detail.html"
    context_object_name = "visit"

    def get_scope(self):
        return _visits(self.request.user)

    def get_context_data(self, **kwargs):
        visit = self.object
        user = self.request.user
        place = visit.response.place
        return super().get_context_data(
            answers=shown_answers(visit.response),
            can_review=visit.status == Submission.Status.SUBMITTED and allows(user, REVIEW, visit),
            place_pending=place is not None and place.status == Place.Status.PENDING,
            can_confirm_place=user_has_role(user, CONFIRM_ROLES),
            tolerance=settings.SCPVN_VISIT_GPS_TOLERANCE_M,
            **kwargs,
        )


class VisitActionView(RoleRequiredMixin, View):
    """POST accept / return / confirm_place; the services say whether it is allowed."""

    allowed_roles = STAFF_ROLES
    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        visit = get_object_or_404(_visits(request.user), pk=pk)
        if action == "confirm_place" and visit.response.place is None:
            raise Http404
        comment = request.POST.get("comment", "")
        actions = {
            "accept": (
                lambda: accept_visit(request.user, visit, comment),
                _("Đã chấp nhận lượt kiểm tra; nó được tính từ nay."),
            ),
            "return": (
                lambda: return_visit(request.user, visit, comment),
                _("Đã trả lại lượt kiểm tra."),
            ),
            "confirm_place": (
                lambda: confirm_place(request.user, visit.response.place),
                _("Đã xác nhận cơ sở mới vào sổ."),
            ),
        }
        refusals.run_action(request, actions, action)
        return redirect(reverse("assessments:visit_detail", args=[visit.pk]))
