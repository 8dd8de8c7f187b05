"""The reports API: read-only, with the agencies' sections and the figures frozen on
submission; filters by duty code and period."""

import datetime as dt

import pytest
from django.urls import reverse

from scpvn.plans.models import Task
from scpvn.progress.tests.factories import approved
from scpvn.reports import services

pytestmark = pytest.mark.django_db
LIST = reverse("report-list")


def test_report_with_sections_and_frozen_snapshot(client, users, mini_plan):
    duty = mini_plan.reporting.get(code="6T")
    first, second = services.open_report(duty, "2020-H1"), services.open_report(duty, "2020-H2")
    officer = users["agency_officer"]
    services.save_section(officer, first, Task.objects.get(number=1), "Đã đăng 4 bài")
    approved("1.1", 4, dt.date(2020, 6, 10))
    services.submit_report(officer, first)
    approved("1.1", 6, dt.date(2020, 6, 20))  # after submission: not in the frozen figures

    client.force_login(users["reviewer"])
    rows = client.get(f"{LIST}?duty=6T&period=2020-H1").json()["results"]
    assert [r["id"] for r in rows] == [first.pk]
    body = client.get(reverse("report-detail", args=[first.pk])).json()
    assert body["status"] == "submitted" and body["duty_code"] == "6T"
    assert [(s["task_number"], s["agency"], s["text"]) for s in body["sections"]] == [
        (1, "SCT", "Đã đăng 4 bài")
    ]
    frozen = body["snapshot"]["tasks"][0]["deliverables"][0]
    assert frozen["code"] == "1.1" and frozen["achieved"] == "4"
    assert client.get(reverse("report-detail", args=[second.pk])).json()["snapshot"] is None
    assert {r["id"] for r in client.get(f"{LIST}?duty=6T").json()["results"]} == {
        first.pk,
        second.pk,
    }
    assert client.get(f"{LIST}?duty=CN").json()["results"] == []


def test_read_only_and_staff_only(client, users, mini_plan):
    report = services.open_report(mini_plan.reporting.get(code="6T"), "2020-H1")
    url = reverse("report-detail", args=[report.pk])
    client.force_login(users["city_admin"])
    refused = client.patch(url, {"number": "9"}, content_type="application/json")
    assert refused.status_code == 405
    assert refused["Content-Type"] == "application/problem+json"
    report.refresh_from_db()
    assert report.number == ""
    client.force_login(users["enterprise_user"])
    assert client.get(LIST).status_code == 403
