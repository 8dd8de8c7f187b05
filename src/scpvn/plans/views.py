from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from scpvn.core.clock import today as clock_today
from scpvn.core.refusals import add_to_form
from scpvn.orgs.access import STAFF_ROLES, RoleRequiredMixin, user_has_role
from scpvn.orgs.roles import Role
from scpvn.plans.budget import BudgetError, budget_lines, record_budget_entry
from scpvn.plans.forms import BudgetEntryForm
from scpvn.plans.models import BudgetAllocation, BudgetEntry, Deliverable, Indicator, Plan, Task
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
        """Everything below the plan is lazy (querysets, lazy objects): the page's body is a
        fragment cached per plan revision (`plans.revisions`), and when it is cached none of
        it is read."""
        context = super().get_context_data(**kwargs)
        plan = self.object
        context.update(
            groups=SimpleLazyObject(lambda: groups_with_tasks(plan)),
            objectives=plan.objectives.all(),
            indicators=Indicator.objects.filter(plan=plan)
            .select_related("lead", "parent")
            .annotate(has_parts=Exists(Indicator.objects.filter(parent=OuterRef("pk")))),
            duties=plan.duties.select_related("agency"),
            reporting=plan.reporting.select_related("by").prefetch_related("to"),
            agencies=plan.agencies.order_by("planagency__order"),
            names=SimpleLazyObject(plan.agency_names),
            children=plan.children.order_by("issued"),
        )
        return context


def groups_with_tasks(plan: Plan) -> list:
    """The plan's groups, each with its tasks (`task_list`), their deliverables and partners."""
    tasks = plan.tasks.select_related("lead", "group").prefetch_related(
        "partners", Prefetch("deliverables", queryset=Deliverable.objects.order_by("order"))
    )
    groups = list(plan.groups.all())
    for group in groups:
        group.task_list = [t for t in tasks if t.group_id == group.pk]
    return groups


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


# The form field a budget refusal belongs to (others go to the top of the form).
BUDGET_FIELDS = {
    BudgetError.BAD_AMOUNT: "amount",
    BudgetError.NO_DOCUMENT: "document",
    BudgetError.OVER_ALLOCATION: "reason",
}


class BudgetAllocationView(RoleRequiredMixin, FormView):
    """One allocation with its commitments and spending, their history, and the form by
    which the agency that spends records a new one (`plans.budget.record_budget_entry`
    decides; another agency's officer gets a 403, nothing written)."""

    template_name = "plans/budget_allocation.html"
    form_class = BudgetEntryForm

    def dispatch(self, request, *args, **kwargs):
        self.allocation = get_object_or_404(
            BudgetAllocation.objects.select_related("plan", "task", "agency"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            entry = record_budget_entry(self.request.user, self.allocation, **data)
        except ValidationError as exc:
            field = BUDGET_FIELDS.get(getattr(exc, "code", None))
            if field:
                form.add_error(field, exc.messages)
            else:
                add_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã ghi %(entry)s.") % {"entry": entry})
        return redirect("plans:budget", pk=self.allocation.pk)

    def get_context_data(self, **kwargs):
        allocation = self.allocation
        line = next(x for x in budget_lines(allocation.plan) if x.allocation.pk == allocation.pk)
        return super().get_context_data(
            allocation=allocation,
            line=line,
            names=allocation.plan.agency_names(),
            entries=allocation.entries.select_related("recorded_by"),
            history=BudgetEntry.history.filter(allocation_id=allocation.pk)
            .select_related("history_user")
            .order_by("-history_date")[:50],
            allocation_history=allocation.history.select_related("history_user")[:20],
            **kwargs,
        )

    def get_initial(self):
        return {"date": self.allocation.plan.day_within(clock_today())}
