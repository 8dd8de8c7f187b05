"""Deliverable codes carry their task (`NV4.1`) in every export, report and API answer, so
deliverable 4.1 is never read as indicator 4.1; indicators keep their bare code."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from scpvn.plans.models import Task
from scpvn.portal.services import progress_records
from scpvn.progress.tests.factories import approved
from scpvn.reports.services import open_report

pytestmark = pytest.mark.django_db


def test_report_documents_and_api_show_task_codes_even_for_old_frozen_figures(
    client, users, mini_plan
):
    report = open_report(mini_plan.reporting.get(code="6T"), "2020-H1")
    approved("1.1", 4, dt.date(2020, 6, 10))
    # figures frozen before the rule: no shown code in the snapshot
    report.snapshot = {
        "tasks": [
            {
                "number": 1,
                "title": "t",
                "lead": "SCT",
                "window": "",
                "status": "done",
                "status_label": "x",
                "percent": 1,
                "deliverables": [
                    {
                        "code": "1.1",
                        "name": "bài",
                        "unit": "bài",
                        "target": "4",
                        "milestones": False,
                        "in_period": "4",
                        "achieved": "4",
                        "percent": 100,
                        "status": "done",
                        "status_label": "x",
                    }
                ],
            }
        ],
        "indicators": [
            {
                "code": "4.1",
                "name": "i",
                "unit": "%",
                "target": None,
                "value": None,
                "numerator": None,
                "denominator": None,
                "coverage": None,
            }
        ],
        "task_counts": {},
        "percent": 1,
        "as_of": "2020-06-30",
        "computed_at": "2020-07-01",
    }
    report.status = "submitted"
    report.save()
    client.force_login(users["reviewer"])
    answer = client.get(reverse("report-detail", args=[report.pk])).json()
    assert answer["snapshot"]["tasks"][0]["deliverables"][0]["display_code"] == "NV1.1"
    docx = client.get(reverse("reports:download", args=[report.pk, "docx"]))
    cells = {
        c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    }
    assert "NV1.1" in cells and "1.1" not in cells
    assert "4.1" in cells  # the indicator keeps its code
    assert "NV1.1" in client.get(report.get_absolute_url()).content.decode()


def test_plan_activity_and_open_data_answers_carry_task_codes(client, users, mini_plan):
    approved("1.1", 4, dt.date(2020, 6, 10))
    client.force_login(users["reviewer"])
    task = client.get(reverse("task-detail", args=[Task.objects.get(number=1).pk])).json()
    assert task["deliverables"][0]["display_code"] == "NV1.1"
    activity = client.get(reverse("activity-list")).json()["results"][0]
    assert activity["deliverable_code"] == "NV1.1"
    assert {row["deliverable"] for row in progress_records(mini_plan)} >= {"NV1.1"}
