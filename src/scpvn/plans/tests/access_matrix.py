from scpvn.core.tests.matrix import STAFF, Rule

RULES = {
    "plans:list": Rule(get=STAFF),
    "plans:detail": Rule(get=STAFF, kwargs=lambda w: {"pk": w.plan.pk}),
    "plans:task": Rule(get=STAFF, kwargs=lambda w: {"plan_pk": w.plan.pk, "number": 1}),
    "plan-list": Rule(get=STAFF),
    "plan-detail": Rule(get=STAFF, kwargs=lambda w: {"pk": w.plan.pk}),
    "task-list": Rule(get=STAFF),
    "task-detail": Rule(get=STAFF, kwargs=lambda w: {"pk": w.plan.tasks.first().pk}),
    "indicator-list": Rule(get=STAFF),
    "indicator-detail": Rule(get=STAFF, kwargs=lambda w: {"pk": w.plan.indicators.first().pk}),
}
