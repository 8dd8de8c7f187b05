"""A plan's revision moves with everything its pages show, so the progress and fragments
cached under it are never stale, and the plan's pages read a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scpvn.orgs.models import Agency
from scpvn.plans.models import BudgetAllocation, BudgetEntry, Deliverable, Indicator, Plan, Task
from scpvn.plans.revisions import touch
from scpvn.progress.tests.factories import approved

pytestmark = pytest.mark.django_db


def revision(plan: Plan):
    return Plan.objects.values_list("revision", flat=True).get(pk=plan.pk)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_activities_tasks_deliverables_and_budget_move_the_revision(mini_plan):
    seen = [revision(mini_plan)]
    activity = approved("1.1", 2, dt.date(2020, 8, 1))
    seen.append(revision(mini_plan))
    activity.delete()
    seen.append(revision(mini_plan))
    Task.objects.filter(number=1).get().save()
    seen.append(revision(mini_plan))
    Deliverable.objects.get(code="1.1").save()
    seen.append(revision(mini_plan))
    Task.objects.get(number=1).partners.add(Agency.objects.get(code="SCT"))
    seen.append(revision(mini_plan))
    Agency.objects.get(code="SCT").save()
    seen.append(revision(mini_plan))
    touch(pk=mini_plan.pk)
    seen.append(revision(mini_plan))
    assert len(set(seen)) == len(seen)


def test_a_change_in_another_plan_leaves_the_revision(mini_plan, hanoi_plan):
    before = revision(mini_plan)
    Task.objects.filter(plan=hanoi_plan).first().save()
    assert revision(mini_plan) == before


def test_dashboard_shows_an_approval_at_once(client, users, mini_plan):
    client.force_login(users["reviewer"])
    url = reverse("progress:dashboard") + "?as_of=2020-12-31"
    before = client.get(url).context["progress"].tasks[0].deliverables[0].achieved
    approved("1.1", 7, dt.date(2020, 8, 1))
    after = client.get(url).context["progress"].tasks[0].deliverables[0].achieved
    assert after == before + 7


def test_dashboard_budget_follows_a_new_entry(client, users, mini_plan):
    client.force_login(users["reviewer"])
    task = Task.objects.get(plan=mini_plan, number=1)
    allocation = BudgetAllocation.objects.create(
        plan=mini_plan, task=task, agency=task.lead, amount=Decimal(1_000_000), source="city"
    )
    url = reverse("progress:dashboard") + f"?plan={mini_plan.slug}"
    assert "600.000" not in client.get(url).text
    BudgetEntry.objects.create(
        allocation=allocation,
        kind=BudgetEntry.Kind.SPENDING,
        amount=Decimal(600_000),
        date=dt.date(2020, 8, 1),
        document="HĐ 1/2020",
    )
    assert "600.000" in client.get(url).text


def test_plan_page_shows_an_edited_task_at_once(client, users, mini_plan):
    client.force_login(users["reviewer"])
    url = reverse("plans:detail", args=[mini_plan.pk])
    assert "Tiêu đề đã sửa" not in client.get(url).text
    Task.objects.filter(plan=mini_plan, number=1).update(title="Tiêu đề đã sửa")
    assert "Tiêu đề đã sửa" not in client.get(url).text  # an update() sends no signal…
    touch(pk=mini_plan.pk)  # …so whoever writes in bulk moves the revision
    assert "Tiêu đề đã sửa" in client.get(url).text


def test_plan_page_queries_do_not_grow_with_indicators(client, users, mini_plan):
    client.force_login(users["reviewer"])
    url = reverse("plans:detail", args=[mini_plan.pk])
    few = queries(client, url)
    for i in range(5):
        whole = Indicator.objects.create(
            plan=mini_plan, code=f"X{i}", name=f"Chỉ tiêu {i}", scope="city"
        )
        Indicator.objects.create(
            plan=mini_plan, code=f"X{i}.1", parent=whole, name=f"Phần {i}", scope="city"
        )
    cache.clear()
    assert queries(client, url) == few
    assert queries(client, url) < few  # the body comes from the cache


def test_a_warm_dashboard_reads_the_plans_once(client, users, mini_plan):
    """Once its body is cached, the dashboard asks the database for the plans it offers and
    nothing more of the plan: the plan is picked among them, and its revision read from
    the row just loaded (`cache_key(..., loaded=True)`)."""
    client.force_login(users["reviewer"])
    url = reverse("progress:dashboard") + f"?plan={mini_plan.slug}&as_of=2020-12-31"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert [q["sql"] for q in ctx.captured_queries if '"plans_plan"' in q["sql"]][1:] == []
