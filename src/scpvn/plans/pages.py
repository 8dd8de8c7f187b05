"""What every page that shows one plan shares: the plan picked by `?plan=<slug>` (the
slug the plan choice, the portal and open data use), else the current one."""

from collections.abc import Sequence

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from scpvn.plans.models import Plan
from scpvn.plans.services import chosen_plan


def page_plan(
    request: HttpRequest, *, required: bool = True, among: Sequence[Plan] | None = None
) -> Plan | None:
    """The plan a page shows. An unknown slug is a 404 (never another plan shown in its
    place); with no plan at all, a 404 when the page cannot do without one. `among`: the
    plan choices the page offers, read already (`chosen_plan`)."""
    try:
        plan = chosen_plan(request.GET.get("plan"), among)
    except Plan.DoesNotExist as exc:
        raise Http404(_("Không có kế hoạch này.")) from exc
    if plan is None and required:
        raise Http404(_("Chưa có kế hoạch nào."))
    return plan
