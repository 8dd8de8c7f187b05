from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView

from scpvn.orgs.access import STAFF_ROLES, RoleRequiredMixin, user_has_role
from scpvn.orgs.roles import Role
from scpvn.plans.models import Deliverable, Indicator, Plan, Task
from scpvn.plans.services import current_plan, indicator_series


def home(request):
    """Visitors open on the public portal, staff on the progress dashboard, others on the plan."""
    if not request.user.is_authenticated:
        return redirect("portal:index")  # the public portal is the site's front door
    if user_has_role(request.user, STAFF_ROLES):
        return redirect("progress:dashboard")
    if user_has_role(request.user, {Role.ENTERPRISE_USER}):
        return redirect("registry:workspace")  # staff pages would answer 403
    plan = current_plan()
    return redirect(plan.get_absolute_url() if plan else "plans:list")


class PlanListView(RoleRequiredMixin, ListView):
    model = Plan
    template_name = "plans/plan_list.html"


class PlanDetailView(RoleRequiredMixin, DetailView):
    model = Plan
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        tasks = plan.tasks.select_related("lead", "group").prefetch_related(
            "partners", Prefetch("deliverables", queryset=Deliverable.objects.order_by("order"))
        )
        groups = list(plan.groups.all())
        for group in groups:
            group.task_list = [t for t in tasks if t.group_id == group.pk]
        context.update(
            groups=groups,
            objectives=plan.objectives.all(),
            indicators=Indicator.objects.filter(plan=plan).select_related("lead", "parent"),
            duties=plan.duties.select_related("agency"),
            reporting=plan.reporting.select_related("by").prefetch_related("to"),
            agencies=plan.agencies.order_by("planagency__order"),
            names=plan.agency_names(),
            children=plan.children.order_by("issued"),
        )
        return context


class TaskDetailView(RoleRequiredMixin, DetailView):
    model = Task
    template_name = "plans/task_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Task.objects.select_related("plan", "lead", "group").prefetch_related("partners"),
            plan_id=self.kwargs["plan_pk"],
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deliverables"] = self.object.deliverables.all()
        context["names"] = self.object.plan.agency_names()
        context["history"] = self.object.history.select_related("history_user")[:20]
        return context


class SeriesView(RoleRequiredMixin, TemplateView):
    """One measure year on year: each plan's indicator of the series with that year's target."""

    template_name = "plans/series_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = indicator_series(self.kwargs["slug"])
        if not rows:
            raise Http404
        context.update(series=self.kwargs["slug"], rows=rows)
        return context
