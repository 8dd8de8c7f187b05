"""The indicator page and the portal open on the latest plan and let you choose another."""

import pytest
from django.urls import reverse

from scpvn.plans.schema import PlanDocument
from scpvn.plans.services import load_plan
from scpvn.plans.tests.test_series import same_number_in_2026, with_range

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(mini_plan_data):
    first = load_plan(PlanDocument.model_validate(mini_plan_data)).plan
    later = with_range(same_number_in_2026(mini_plan_data), 70, 80)
    return first, load_plan(PlanDocument.model_validate(later)).plan


def test_indicator_page_chooses_the_plan(client, users, two_years):
    first, _later = two_years
    client.force_login(users["agency_officer"])
    url = reverse("indicators:dashboard")
    html = client.get(url).content.decode()
    assert "(2026)" in html and "70–80 %" in html
    assert f'<option value="{first.slug}"' in html
    html = client.get(url, {"plan": first.slug}).content.decode()
    assert "(2020)" in html and "70–80" not in html
    assert f'name="plan" value="{first.slug}"' in html  # the period form keeps the choice
    assert client.get(url, {"plan": "khong-co"}).status_code == 404


def test_portal_chooses_the_plan(client, two_years):
    first, _later = two_years
    assert "2026" in client.get(reverse("portal:index")).content.decode()
    html = client.get(reverse("portal:index"), {"plan": first.slug}).content.decode()
    assert "07/05/2020" in html
    assert client.get(reverse("portal:index"), {"plan": "khong-co"}).status_code == 404


@pytest.mark.parametrize("name", ["progress:dashboard", "reports:list", "indicators:dashboard"])
def test_staff_pages_pick_the_plan_among_the_choices_they_offer(client, users, two_years, name):
    """The page reads the plans once, for its plan choice, and finds `?plan=` among them: the
    plan asked for is shown, an unknown one is a 404, never another plan."""
    first, later = two_years
    client.force_login(users["city_admin"])
    url = reverse(name)
    assert client.get(url).context["plan"] == later
    response = client.get(url, {"plan": first.slug})
    assert response.context["plan"] == first
    assert list(response.context["plans"]) == [later, first]
    assert client.get(url, {"plan": "khong-co"}).status_code == 404
