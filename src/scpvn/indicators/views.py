from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView

from scpvn.core.files import serve_protected_file
from scpvn.core.numbers import up_to_two_decimals
from scpvn.core.periods import parse_period, periods_between
from scpvn.core.tables import html_rows
from scpvn.geo.models import District, Unit
from scpvn.geo.services import installed_province
from scpvn.indicators.forms import ManualValueForm
from scpvn.indicators.maps import HEIGHT, WIDTH, district_map, legend, ward_map
from scpvn.indicators.methods import DIVIDES_BY, divides_by
from scpvn.indicators.models import IndicatorValue, ManualValue
from scpvn.indicators.services import (
    GOAL_STATUS,
    enter_manual_value,
    goal_status,
    leaf_indicators,
    params_problem,
    records_that_counted,
    trend,
    unit_label,
    values_for,
)
from scpvn.orgs.access import RoleRequiredMixin, user_has_role
from scpvn.orgs.roles import Role
from scpvn.plans.models import Indicator, Plan
from scpvn.plans.pages import page_plan
from scpvn.plans.services import plan_choices

MANUAL_ROLES = frozenset({Role.CITY_ADMIN, Role.AGENCY_OFFICER})


def trend_chart(indicator: Indicator) -> dict:
    """The monthly city values and the target, as the trend chart script reads them."""
    points = trend(indicator)
    return {
        "labels": [period for period, _value in points],
        "values": [None if value is None else float(value) for _period, value in points],
        "target": None if indicator.goal is None else float(indicator.goal),
    }


def value_rows(indicator: Indicator, period: str, values: list[IndicatorValue]) -> SafeString:
    """The rows of the table by district or by commune and ward, each linked to the records
    that made it. Built here rather than by template tags: a province's 126 rows of filtered
    variables cost more than the rest of the page (issue #12). The link is reversed once, its
    unit code put in per row."""
    link = reverse("indicators:provenance", args=[indicator.pk, period, "__unit__"])

    write = up_to_two_decimals()

    def number(x) -> str:
        return "—" if x is None else write(x)

    return html_rows(
        '<tr><td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td class="text-end">{} / {}</td>'
        '<td class="text-end">{}</td><td><a href="{}">{}</a></td></tr>',
        [
            (
                area.name,
                number(v.value),
                number(v.numerator),
                number(v.denominator),
                v.observed,
                v.population,
                number(v.coverage),
                link.replace("__unit__", quote(area.code)),
                _("bản ghi"),
            )
            for v in values
            for area in [v.unit or v.district]
        ],
    )


class PeriodMixin:
    """The period asked for in `?period=`, by default the plan's last year."""

    def period_for(self, plan: Plan) -> str:
        code = self.request.GET.get("period") or str(plan.period_end.year)
        try:
            parse_period(code)
        except ValueError as exc:
            raise Http404(str(exc)) from exc
        return code

    def period_choices(self, plan: Plan) -> list[str]:
        return [s.code for s in reversed(periods_between(plan.period_start, plan.period_end))]


class DashboardView(RoleRequiredMixin, PeriodMixin, TemplateView):
    """One card per indicator: value against target and the monthly trend."""

    template_name = "indicators/dashboard.html"

    def get_context_data(self, **kwargs):
        plans = plan_choices()
        plan = page_plan(self.request, required=False, among=plans)
        if plan is None:
            return super().get_context_data(plan=None, **kwargs)
        period = self.period_for(plan)
        stored = {
            v.indicator_id: v
            for v in IndicatorValue.objects.filter(
                indicator__plan=plan, period=period, district=None, unit=None
            )
        }
        cards = []
        for indicator in leaf_indicators(plan):
            cards.append(
                {
                    "indicator": indicator,
                    "value": stored.get(indicator.pk),
                    "status": goal_status(
                        indicator, getattr(stored.get(indicator.pk), "value", None)
                    ),
                    "goal_status": GOAL_STATUS,
                    "trend": trend_chart(indicator),
                }
            )
        return super().get_context_data(
            plan=plan,
            plans=plans,
            period=period,
            periods=self.period_choices(plan),
            cards=cards,
            **kwargs,
        )


class IndicatorDetailView(RoleRequiredMixin, PeriodMixin, DetailView):
    """The table by district and the map for one indicator and period."""

    template_name = "indicators/detail.html"

    def get_queryset(self):
        return Indicator.objects.exclude(method=None).select_related("plan")

    def get_context_data(self, **kwargs):
        period = self.period_for(self.object.plan)
        values = values_for(self.object, period)
        city = next((v for v in values if v.district_id is None and v.unit_id is None), None)
        by_area = [v for v in values if v.district_id or v.unit_id]
        on_wards = self.object.level == Indicator.Level.COMMUNE
        province = installed_province() if on_wards else None
        return super().get_context_data(
            period=period,
            periods=self.period_choices(self.object.plan),
            city=city,
            status=goal_status(self.object, city.value if city else None),
            goal_status=GOAL_STATUS,
            districts=by_area,
            rows=value_rows(self.object, period, by_area),
            map_points=[] if on_wards else district_map(values, self.object.goal),
            ward_map=(
                ward_map(values, self.object.goal, self.object.unit, province) if province else None
            ),
            map_legend=legend(),
            map_size=(WIDTH, HEIGHT),
            trend=trend_chart(self.object),
            is_manual=self.object.method.get("kind") == "manual",
            divides_by=DIVIDES_BY.get(divides_by(self.object.method) or ""),
            params_problem=params_problem(self.object),
            **kwargs,
        )


class ProvenanceView(RoleRequiredMixin, DetailView):
    """Value → the responses (or the entered values) that made it."""

    template_name = "indicators/provenance.html"

    def get_queryset(self):
        return Indicator.objects.exclude(method=None).select_related("plan")

    def get_context_data(self, **kwargs):
        try:
            parse_period(self.kwargs["period"])
        except ValueError as exc:
            raise Http404(str(exc)) from exc
        code = self.kwargs["unit"]
        place: District | Unit | None = None
        if code != "city" and self.object.level == Indicator.Level.COMMUNE:
            place = get_object_or_404(Unit, level=Unit.Level.COMMUNE, code=code, valid_to=None)
        elif code != "city":
            place = get_object_or_404(District, code=code)
        on_unit = isinstance(place, Unit)
        where = {"unit": place} if on_unit else {"district": place, "unit": None}
        value = IndicatorValue.objects.filter(
            indicator=self.object, period=self.kwargs["period"], **where
        ).first()
        manual = ManualValue.objects.filter(
            indicator=self.object,
            period=self.kwargs["period"],
            district=None if on_unit else place,
        ).select_related("entered_by")
        if on_unit:
            manual = manual.none()
        return super().get_context_data(
            period=self.kwargs["period"],
            unit=unit_label(place),
            value=value,
            records=records_that_counted(self.object, self.kwargs["period"], place),
            manual_entries=manual,
            **kwargs,
        )


class ManualValueView(RoleRequiredMixin, FormView):
    """Enter a value by hand with its source document (manual indicators only)."""

    template_name = "indicators/manual.html"
    form_class = ManualValueForm

    def dispatch(self, request, *args, **kwargs):
        self.indicator = get_object_or_404(
            Indicator.objects.filter(method__kind="manual"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"period": str(self.indicator.plan.period_end.year)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            indicator=self.indicator,
            entries=self.indicator.manual_values.select_related("district", "entered_by"),
            can_enter=user_has_role(self.request.user, MANUAL_ROLES),
            **kwargs,
        )

    def form_valid(self, form):
        if not user_has_role(self.request.user, MANUAL_ROLES):
            raise PermissionDenied
        data = form.cleaned_data
        try:
            enter_manual_value(
                indicator=self.indicator,
                period_code=data["period"],
                value=data["value"],
                source_title=data["source_title"],
                source_document=data["source_document"],
                district=data["district"],
                note=data["note"],
                user=self.request.user,
            )
        except ValueError as exc:
            form.add_error("period", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Đã ghi giá trị."))
        return redirect("indicators:manual", pk=self.indicator.pk)


class SourceDocumentView(RoleRequiredMixin, DetailView):
    """The source document of a manual value (uploaded files are not served publicly)."""

    model = ManualValue

    def render_to_response(self, context, **kwargs):
        # the role check is the mixin's; any staff member may read a value's source
        return serve_protected_file(self.request, self.object.source_document, allowed=True)
