"""A new activity's date defaults to today, moved into the plan's period."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("today", "expected"),
    [("2026-03-01", "2020-12-31"), ("2019-05-05", "2020-01-01"), ("2020-06-15", "2020-06-15")],
)
def test_activity_date_defaults_inside_the_plan(client, users, settings, today, expected):
    settings.SCPVN_TODAY = today
    client.force_login(users["agency_officer"])
    url = reverse("progress:activity_new")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["date"].isoformat() == expected
