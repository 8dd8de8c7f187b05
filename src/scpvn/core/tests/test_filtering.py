"""Number filters on integer columns refuse what the column cannot hold (`core.filtering`)."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/indicator-values/?plan=1e30", "plan"),
        ("/api/progress/activities/?group=99999999999999999999", "group"),
        ("/api/issued-documents/?year=1e30", "year"),
        ("/api/indicator-values/?plan=1.5", "plan"),
    ],
)
def test_a_number_no_integer_column_holds_is_a_400_naming_the_field(users, path, field):
    """The API fuzz's finding: `?plan=1e30` reached SQLite as an integer and overflowed
    (OverflowError, a 500)."""
    client = APIClient()
    client.force_authenticate(users["city_admin"])
    response = client.get(path)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid" and list(body["errors"]) == [field], body


def test_an_id_within_range_still_filters(users):
    client = APIClient()
    client.force_authenticate(users["city_admin"])
    assert client.get("/api/indicator-values/?plan=1").status_code == 200
    assert client.get("/api/progress/activities/?group=1").status_code == 200
