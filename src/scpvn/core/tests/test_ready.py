"""/readyz: a load balancer's answer to "may this server take traffic?"."""

from unittest import mock

import pytest
from django.db import DatabaseError

from scpvn.core import views


@pytest.mark.django_db
def test_ready_when_database_cache_and_migrations_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok"},
    }


@pytest.mark.django_db
def test_not_ready_with_a_migration_unapplied(client):
    with mock.patch.object(views, "_unapplied_migrations", return_value=2):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"].startswith("2 ")
    assert response.json()["failed"] == ["migrations"] and response["Retry-After"]


@pytest.mark.django_db
def test_not_ready_without_database_or_cache(client):
    """The migration check is the one that reads the database's tables."""
    with (
        mock.patch.object(views, "_unapplied_migrations", side_effect=DatabaseError),
        mock.patch.object(views.cache, "set", side_effect=ConnectionError),
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["migrations", "cache"]
    assert body["checks"]["cache"] == "failed"
