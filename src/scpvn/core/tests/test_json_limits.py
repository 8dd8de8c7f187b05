"""Every JSON endpoint refuses too-deep and too-large bodies with a stable problem code."""

import pytest
from rest_framework.test import APIClient

from scpvn.core.tests.bombs import deep_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users) -> APIClient:
    client = APIClient()
    client.force_authenticate(users["city_admin"])
    return client


@pytest.mark.parametrize("path", ["/epcis/capture", "/api/enterprises/"])
def test_deep_json_is_refused_with_400_not_500(api, path):
    response = api.post(path, deep_json(200_000), content_type="application/ld+json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "json_too_deep"


def test_json_at_the_depth_limit_still_reaches_the_view(api, settings):
    settings.SCPVN_JSON_MAX_DEPTH = 3
    body = b'{"a": [{"b": "[[[[[[ in a string ]]]"}]}'
    response = api.post("/epcis/capture", body, content_type="application/json")
    assert response.status_code != 400 or response.json().get("code") != "json_too_deep"


def test_too_large_json_is_refused_with_413(api, settings):
    settings.SCPVN_JSON_MAX_BYTES = 100
    response = api.post(
        "/epcis/capture", b'{"x": "' + b"a" * 200 + b'"}', content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "json_too_large"
