from scpvn.core.tests.matrix import STAFF, Rule


def _series(world) -> dict:
    """Puts the world's first indicator into a series so the series pages have something."""
    indicator = world.plan.indicators.exclude(target=None).first()
    indicator.series = "matrix-series"
    indicator.save(update_fields=["series"])
    return {"slug": "matrix-series"}


def _series_pk(world) -> dict:
    return {"pk": _series(world)["slug"]}


def _allocation(world) -> dict:
    from scpvn.orgs.models import Agency
    from scpvn.plans.models import BudgetAllocation

    allocation, _ = BudgetAllocation.objects.get_or_create(
        plan=world.plan,
        task=world.plan.tasks.first(),
        agency=Agency.objects.get(code="SCT"),
        source="city",
        defaults={"amount": 100_000_000},
    )
    return {"pk": allocation.pk}


RULES = {
    "budget-list": Rule(get=STAFF),
    "budget-entries": Rule(
        get=STAFF, kwargs=_allocation, skip="POST only: tested in plans/tests/test_budget.py"
    ),
    "plans:budget": Rule(
        get=STAFF,
        kwargs=_allocation,
        # the agency that spends (the world's officer is of SCT) and the city's administrator
        post=frozenset({"city_admin", "agency_officer"}),
        data=lambda w: {
            "kind": "commitment",
            "amount": "1.000.000",
            "date": "2020-06-01",
            "document": "HĐ 1/2020",
        },
    ),
    "plans:list": Rule(get=STAFF),
    "plans:detail": Rule(get=STAFF, kwargs=lambda w: {"pk": w.plan.pk}),
    "plans:task": Rule(get=STAFF, kwargs=lambda w: {"plan_pk": w.plan.pk, "number": 1}),
    "plan-list": Rule(get=STAFF),
    "plan-detail": Rule(get=STAFF, kwargs=lambda w: {"pk": w.plan.pk}),
    "task-list": Rule(get=STAFF),
    "task-detail": Rule(get=STAFF, kwargs=lambda w: {"pk": w.plan.tasks.first().pk}),
    "indicator-list": Rule(get=STAFF),
    "plans:series": Rule(get=STAFF, kwargs=_series),
    "series-list": Rule(get=STAFF),
    "series-detail": Rule(get=STAFF, kwargs=_series_pk),
    "indicator-detail": Rule(get=STAFF, kwargs=lambda w: {"pk": w.plan.indicators.first().pk}),
}
