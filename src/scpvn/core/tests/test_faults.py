"""Database outage: a real connection that cannot be made answers 503, never a traceback."""

import contextlib
import socket
from copy import deepcopy

import pytest
from django.db import connections
from django.urls import reverse


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def unreachable_database():
    """Swap the default connection for one whose server is gone: PostgreSQL on a port
    nobody listens on, SQLite in a folder that does not exist. The driver really tries."""
    original = connections["default"]
    broken_settings = deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        broken_settings["NAME"] = "/nonexistent-scpvn-dir/gone.sqlite3"
    else:
        broken_settings["HOST"], broken_settings["PORT"] = "127.0.0.1", closed_port()
        broken_settings["OPTIONS"] = {**broken_settings.get("OPTIONS", {}), "connect_timeout": 2}
    broken = original.__class__(broken_settings, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = original


@pytest.mark.django_db
def test_page_answers_503_without_traceback(client, users):
    client.force_login(users["agency_officer"])
    with unreachable_database():
        response = client.get(reverse("plans:list"))
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert "cơ sở dữ liệu" in body
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.django_db
def test_api_answers_503_problem_json(client, users):
    client.force_login(users["agency_officer"])
    with unreachable_database():
        response = client.get("/api/plans/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 503 and "cơ sở dữ liệu" in problem["detail"]
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_sign_in_page_answers_503_when_the_database_is_gone(client, users):
    with unreachable_database():
        response = client.post(
            reverse("login"), {"username": "officer", "password": "x-test-password-1"}
        )
    assert response.status_code == 503


@pytest.mark.django_db
def test_outage_raised_outside_a_view_also_answers_503(client, users, settings):
    """A middleware touching the database (sessions, history) fails before or after the
    view; Django hands that to handler500, which recognises the outage too."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "DatabaseUnavailable" not in m]
    client.raise_request_exception = False
    client.force_login(users["agency_officer"])
    with unreachable_database():
        response = client.get("/api/plans/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_health_checks_database_queue_and_upload_storage(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["checks"] == {"database": "ok", "queue": "ok", "storage": "ok"}
    blocked = tmp_path / "a-file"
    blocked.write_text("")  # a folder cannot be made under a file, whoever runs the test
    settings.MEDIA_ROOT = blocked / "media"
    answer = client.get("/healthz")
    assert answer.status_code == 503 and answer.json()["failed"] == ["storage"]
