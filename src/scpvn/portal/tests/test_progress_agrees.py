"""The portal, the open data and the staff dashboard show one progress: the status
engine's. Before, the portal summed approved quantities itself and showed "0 —" for the
deliverables measured in milestones (7.1, 7.2, 10.1, 10.2) that the dashboard counted."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from scpvn.conftest import make_user
from scpvn.orgs.models import Agency, Role
from scpvn.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_portal_open_data_and_dashboard_agree_on_every_demo_deliverable(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "load")
    plan = Plan.objects.get(code="96/KH-UBND")
    client.force_login(make_user("viewer", Role.REVIEWER, Agency.objects.get(code="SCT")))
    dashboard = client.get(reverse("progress:dashboard") + f"?plan={plan.slug}").context["progress"]
    staff = {
        d.deliverable.display_code: (float(d.achieved), float(d.target), d.percent, d.milestones)
        for t in dashboard.tasks
        for d in t.deliverables
    }
    assert any(milestones for *_, milestones in staff.values())
    client.logout()
    chosen = f"?plan={plan.slug}"  # the demo also loads later plans; the portal opens on 2026
    portal = client.get(reverse("portal:index") + chosen).context["progress"]
    assert portal.as_of == dashboard.as_of
    public = {
        d.deliverable.display_code: (float(d.achieved), float(d.target), d.percent, d.milestones)
        for t in portal.tasks
        for d in t.deliverables
    }
    assert public == staff
    html = client.get(reverse("portal:index") + chosen).content.decode()
    assert "mốc" in html
    for fmt in ("json", "csv"):
        answer = client.get(reverse("portal:dataset", args=["progress", fmt]) + chosen)
        assert answer.status_code == 200
    records = client.get(reverse("portal:dataset", args=["progress", "json"]) + chosen).json()[
        "records"
    ]
    opened = {
        r["deliverable"]: (r["done"], r["target"], r["percent"], r["milestones"]) for r in records
    }
    assert opened == staff
    for code in ("NV7.1", "NV7.2", "NV10.1", "NV10.2"):
        assert opened[code][0] > 0, code


def test_portal_sees_the_plan_on_the_apps_today(client, settings, mini_plan):
    """A demo set on a day of 2020 shows the portal on that day, as the dashboard."""
    settings.SCPVN_TODAY = "2020-08-15"
    assert client.get(reverse("portal:index")).context["progress"].as_of.isoformat() == (
        "2020-08-15"
    )
    records = client.get(reverse("portal:dataset", args=["progress", "json"])).json()["records"]
    assert {r["as_of"] for r in records} == {"2020-08-15"}
