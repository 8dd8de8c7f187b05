"""Each role sees the pages it should and is refused the others."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STAFF = ["city_admin", "reviewer", "agency_officer", "district_officer"]


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", [*STAFF, "enterprise_user", "anonymous"])
def test_plan_and_task_pages(client, users, mini_plan, role):
    client = client_for(client, users[role])
    urls = [
        reverse("plans:list"),
        reverse("plans:detail", args=[mini_plan.pk]),
        reverse("plans:task", args=[mini_plan.pk, 1]),
    ]
    for url in urls:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role == "enterprise_user":
            assert response.status_code == 403
        else:
            assert response.status_code == 200, url


def test_plan_page_shows_tasks_and_targets(client, users, mini_plan):
    client.force_login(users["agency_officer"])
    html = client.get(reverse("plans:detail", args=[mini_plan.pk])).content.decode()
    assert "Tuyên truyền" in html and "Sở Công Thương" in html
    assert "07/2020 – 10/2020" in html


@pytest.mark.parametrize("role", [*STAFF, "enterprise_user"])
def test_admin_site_only_for_city_admin(client, users, role):
    users[role].is_staff = role == "city_admin"
    users[role].save()
    client.force_login(users[role])
    response = client.get("/admin/")
    assert response.status_code == (200 if role == "city_admin" else 302)


def test_api_requires_staff_and_answers_problem_json(client, users, mini_plan):
    assert client.get("/api/plans/").status_code in (401, 403)
    client.force_login(users["enterprise_user"])
    refused = client.get("/api/plans/")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["status"] == 403
    client.force_login(users["reviewer"])
    body = client.get("/api/tasks/", {"plan": mini_plan.pk}).json()
    assert [t["number"] for t in body["results"]] == [1, 2]
    missing = client.get("/api/tasks/999999/")
    assert missing.status_code == 404 and missing.json()["status"] == 404


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_language_switch_to_english(client, users, mini_plan):
    client.force_login(users["agency_officer"])
    client.post(reverse("set_language"), {"language": "en", "next": "/plans/"})
    html = client.get(reverse("plans:list")).content.decode()
    assert 'lang="en"' in html and "Plans" in html


def test_staff_and_portal_open_on_the_same_current_plan(client, users, mini_plan):
    """current_plan() (plans.services) is the latest issued plan; the portal shows it too."""
    import datetime as dt

    from scpvn.plans.models import Plan
    from scpvn.plans.services import current_plan

    newer = Plan.objects.create(
        code="99/KH-UBND",
        title="Kế hoạch mới hơn",
        issuer="UBND TP",
        issued=mini_plan.issued + dt.timedelta(days=1),
        period_start=mini_plan.period_start,
        period_end=mini_plan.period_end,
    )
    assert current_plan() == newer
    assert client.get(reverse("portal:index")).context["plan"] == newer
