"""The plan's budget: allocations per task by source and decision (from the plan file), and
the commitments and spending the agency that spends records against them, with their
documents. One path for every write (`record_budget_entry`), so nobody records spending
for another agency's allocation and spending above the allocation needs its reason."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from scpvn.orgs.models import User
from scpvn.orgs.scopes import check_acts_for
from scpvn.plans.models import BudgetAllocation, BudgetEntry, Plan


class BudgetError(StrEnum):
    """Stable codes of the budget refusals."""

    BAD_AMOUNT = "plans.budget_bad_amount"
    OVER_ALLOCATION = "plans.budget_over_allocation"
    NO_DOCUMENT = "plans.budget_no_document"
    OTHER_AGENCY = "plans.budget_other_agency"


def _amount(value: object) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(".", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(
            _("Số tiền phải là số dương (đồng), ví dụ 150.000.000."), code=BudgetError.BAD_AMOUNT
        )
    return amount


@transaction.atomic
def record_budget_entry(
    user: User,
    allocation: BudgetAllocation,
    *,
    kind: str,
    amount: object,
    date: dt.date,
    document: str,
    reason: str = "",
) -> BudgetEntry:
    """A commitment (contract, decision to spend) or a spending (payment) against an
    allocation, by an officer of the agency the allocation is given to. What would take the
    spending above the allocation is refused unless its reason is given; nothing is written
    on a refusal."""
    check_acts_for(user, allocation.agency, BudgetError.OTHER_AGENCY)
    value = _amount(amount)
    if not document.strip():
        raise ValidationError(
            _("Hãy ghi số, ngày của chứng từ (hợp đồng, quyết định, ủy nhiệm chi)."),
            code=BudgetError.NO_DOCUMENT,
        )
    locked = BudgetAllocation.objects.select_for_update().get(pk=allocation.pk)
    if kind == BudgetEntry.Kind.SPENDING and not reason.strip():
        spent = locked.entries.filter(kind=kind).aggregate(n=Sum("amount"))["n"] or Decimal(0)
        if spent + value > locked.amount:
            raise ValidationError(
                _(
                    "Chi %(amount)s đồng vượt dự toán “%(allocation)s” (%(allocated)s đồng, đã "
                    "chi %(spent)s): hãy ghi lý do."
                )
                % {
                    "amount": f"{value:,.0f}".replace(",", "."),
                    "allocation": str(locked),
                    "allocated": f"{locked.amount:,.0f}".replace(",", "."),
                    "spent": f"{spent:,.0f}".replace(",", "."),
                },
                code=BudgetError.OVER_ALLOCATION,
            )
    return BudgetEntry.objects.create(
        allocation=locked,
        kind=kind,
        amount=value,
        date=date,
        document=document.strip(),
        reason=reason.strip(),
        recorded_by=user,
    )


@dataclass
class BudgetLine:
    allocation: BudgetAllocation
    committed: Decimal
    spent: Decimal

    @property
    def spent_share(self) -> int:
        return round(100 * self.spent / self.allocation.amount) if self.allocation.amount else 0


def budget_lines(plan: Plan, as_of: dt.date | None = None) -> list[BudgetLine]:
    """Every allocation of the plan with what is committed and spent (by `as_of` when
    given: a report counts the documents of its period), by task then source."""
    dated = Q(entries__date__lte=as_of) if as_of else Q()
    allocations = (
        BudgetAllocation.objects.filter(plan=plan)
        .select_related("task", "agency")
        .annotate(
            committed=Sum(
                "entries__amount", filter=dated & Q(entries__kind=BudgetEntry.Kind.COMMITMENT)
            ),
            spent=Sum("entries__amount", filter=dated & Q(entries__kind=BudgetEntry.Kind.SPENDING)),
        )
        .order_by("task__number", "source", "pk")
    )
    return [BudgetLine(a, a.committed or Decimal(0), a.spent or Decimal(0)) for a in allocations]
