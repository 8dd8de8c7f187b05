import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scpvn.geo.placing import installed_communes
from scpvn.progress.tests.factories import approved

pytestmark = pytest.mark.django_db


def add_activities(n: int) -> None:
    for i in range(n):
        approved("1.1" if i % 2 else "2.1", 0, dt.date(2020, 7, 1) + dt.timedelta(days=i % 90))


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["progress:dashboard", "progress:my_tasks", "progress:activities"])
def test_page_queries_do_not_grow_with_activities(client, users, name):
    client.force_login(users["agency_officer"])
    url = reverse(name) + "?as_of=2020-12-31"
    add_activities(10)
    installed_communes()  # reference data a filter offers, read once per process
    few = queries(client, url)
    add_activities(90)
    assert queries(client, url) == few


def test_staff_home_is_the_dashboard(client, users):
    client.force_login(users["reviewer"])
    assert client.get("/")["Location"] == reverse("progress:dashboard")


def test_dashboard_figures_link_to_the_activities_behind_them(client, users, mini_plan):
    approved("1.1", 12, dt.date(2020, 8, 1))
    approved("1.1", 3, dt.date(2020, 9, 20))
    client.force_login(users["reviewer"])
    page = client.get(reverse("progress:dashboard") + "?as_of=2020-08-31").content.decode()
    deliverable = mini_plan.tasks.get(number=1).deliverables.get(code="1.1")
    link = f"{reverse('progress:activities')}?deliverable={deliverable.pk}&as_of=2020-08-31"
    assert link in page and "12 / 30" in page
    listed = client.get(link)
    assert [a.quantity for a in listed.context["object_list"]] == [12]  # not the September one


def test_dashboard_marks_overdue_and_due_soon(client, users, mini_plan):
    client.force_login(users["reviewer"])
    response = client.get(reverse("progress:dashboard") + "?as_of=2020-11-15")
    assert [t.task.number for t in response.context["overdue"]] == [1]
    assert [t.task.number for t in response.context["due_soon"]] == [2]
    assert response.context["timeline"]["today"] > 80


def test_dashboard_defaults_to_today_clipped_to_the_plan_period(client, users, settings):
    client.force_login(users["reviewer"])
    settings.SCPVN_TODAY = "2026-01-10"
    assert client.get(reverse("progress:dashboard")).context["as_of"] == dt.date(2020, 12, 31)
    settings.SCPVN_TODAY = "2020-09-01"
    assert client.get(reverse("progress:dashboard")).context["as_of"] == dt.date(2020, 9, 1)


def test_my_tasks_lists_the_agencys_tasks_and_city_roles_pick_an_agency(client, users):
    client.force_login(users["agency_officer"])
    numbers = [
        t.task.number for t in client.get(reverse("progress:my_tasks")).context["progress"].tasks
    ]
    assert numbers == [1, 2]
    client.force_login(users["reviewer"])
    response = client.get(reverse("progress:my_tasks") + "?agency=STNMT")
    assert [t.task.number for t in response.context["progress"].tasks] == [1]


def test_late_approvals_count_unless_seen_then(client, users, mini_plan):
    approved("1.1", 5, dt.date(2020, 8, 10), approved_on=dt.date(2020, 9, 15))
    client.force_login(users["reviewer"])
    url = reverse("progress:dashboard") + "?as_of=2020-08-31"
    now = client.get(url).context["progress"].tasks[0].deliverables[0]
    then = client.get(url + "&seen=then").context["progress"].tasks[0].deliverables[0]
    assert (now.achieved, then.achieved) == (5, 0)
    listed = client.get(reverse("progress:activities") + "?as_of=2020-08-31&seen=then")
    assert not listed.context["object_list"]


def test_progress_api_serves_the_dashboard_figures_and_deadlines(client, users, mini_plan):
    approved("1.1", 12, dt.date(2020, 8, 1))
    client.force_login(users["reviewer"])
    query = f"?plan={mini_plan.slug}&as_of=2020-11-15"
    page = client.get(reverse("progress:dashboard") + query).context
    answer = client.get(reverse("plan-progress-list") + query)
    assert answer.status_code == 200
    body = answer.json()
    assert body["overdue"] == [t.task.number for t in page["overdue"]] == [1]
    assert body["due_soon"] == [t.task.number for t in page["due_soon"]] == [2]
    first = body["tasks"][0]["deliverables"][0]
    assert (first["code"], float(first["achieved"]), first["percent"]) == ("1.1", 12.0, 40)
    assert body["percent"] == page["progress"].percent


def test_progress_api_refuses_a_bad_date_and_an_unknown_plan(client, users, mini_plan):
    client.force_login(users["reviewer"])
    url = reverse("plan-progress-list")
    bad = client.get(url + "?as_of=31/12/2020")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert client.get(url + "?plan=no-such-plan").status_code == 404


def test_dashboard_and_report_list_choose_the_plan_by_slug(client, users, mini_plan):
    """Every page picks a plan by the slug the plan choice sends (as the portal, open data
    and the API do); an unknown slug or a bare id is a 404, never another plan or a 500."""
    from scpvn.plans.models import Plan

    later = Plan.objects.create(
        slug="ke-hoach-2026",
        code="02/KH-TEST",
        title="Kế hoạch năm sau",
        issuer="UBND TP",
        issued=dt.date(2026, 1, 5),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    client.force_login(users["reviewer"])
    dashboard = reverse("progress:dashboard")
    assert client.get(dashboard).context["plan"] == later
    page = client.get(dashboard, {"plan": mini_plan.slug})
    assert page.context["plan"] == mini_plan
    html = page.content.decode()
    assert f'<option value="{mini_plan.slug}" selected>' in html  # the plan choice
    assert f"plan={mini_plan.slug}&amp;as_of=" in html  # the date presets keep the plan
    assert (
        client.get(reverse("reports:list"), {"plan": mini_plan.slug}).context["plan"] == mini_plan
    )
    for url in (dashboard, reverse("reports:list")):
        assert client.get(url, {"plan": "no-such-plan"}).status_code == 404
        assert client.get(url, {"plan": str(mini_plan.pk)}).status_code == 404
