"""A report awaiting approval shows, beside each frozen figure, today's figure where newer
approved work changed it, and a reviewer may refresh the frozen figures before approving."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from scpvn.progress.tests.factories import approved
from scpvn.reports.models import Report
from scpvn.reports.services import (
    approve_report,
    figure_changes,
    open_report,
    refresh_figures,
    submit_report,
)

pytestmark = pytest.mark.django_db


def test_reviewer_sees_newer_figures_and_refreshes_before_approving(client, users, mini_plan):
    report = open_report(mini_plan.reporting.get(code="6T"), "2020-H1")
    approved("1.1", 4, dt.date(2020, 6, 10))
    report = submit_report(users["agency_officer"], report)
    assert figure_changes(report) == {}
    late = approved("1.1", 6, dt.date(2020, 6, 20))  # done in the period, approved after
    late.approved_at = timezone.now()
    late.save()
    changes = figure_changes(report)
    assert set(changes) == {"1.1"} and changes["1.1"]["achieved"] == "10"
    client.force_login(users["reviewer"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="figures-changed"' in page and 'data-current="NV1.1"' in page
    assert "refresh" in page
    with pytest.raises(PermissionDenied):
        refresh_figures(users["agency_officer"], report)
    client.post(reverse("reports:action", args=[report.pk, "refresh"]))
    report.refresh_from_db()
    assert report.snapshot["tasks"][0]["deliverables"][0]["achieved"] == "10"
    assert figure_changes(report) == {}
    assert report.history.first().history_user == users["reviewer"]
    approve_report(users["reviewer"], report)
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert figure_changes(report) == {}  # approved: nothing more to weigh
    with pytest.raises(ValidationError):
        refresh_figures(users["reviewer"], report)
