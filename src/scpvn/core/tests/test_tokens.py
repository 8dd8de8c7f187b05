"""API tokens expire, die with a password change, and their owner lists and revokes them."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def api(token: Token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_an_expired_token_is_refused(users, settings):
    settings.SCPVN_TOKEN_TTL_DAYS = 30
    token = Token.objects.create(user=users["agency_officer"])
    assert api(token).get("/api/tasks/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=token.created - dt.timedelta(days=31))
    response = api(token).get("/api/tasks/")
    assert response.status_code in (401, 403) and "hết hạn" in response.json()["detail"]


def test_a_password_change_revokes_tokens(users):
    user = users["agency_officer"]
    token = Token.objects.create(user=user)
    user.first_name = "An"
    user.save()
    assert Token.objects.filter(pk=token.pk).exists()  # other edits keep it
    user.set_password("mot-mat-khau-moi-dai")
    user.save()
    assert not Token.objects.filter(user=user).exists()
    assert api(token).get("/api/tasks/").status_code in (401, 403)


def test_owner_lists_and_revokes_tokens_on_the_page_and_the_api(client, users):
    user = users["agency_officer"]
    client.force_login(user)
    page = client.post(reverse("tokens"), {"action": "create"}, follow=True)
    token = Token.objects.get(user=user)
    assert token.key in page.text  # shown once
    assert token.key not in client.get(reverse("tokens")).text
    other = Token.objects.create(user=users["reviewer"])
    listed = client.get("/api/tokens/").json()
    assert [t["id"] for t in listed] == [token.key[:8]]
    assert client.delete(f"/api/tokens/{other.key[:8]}/").status_code == 404
    assert client.delete(f"/api/tokens/{token.key[:8]}/").status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert Token.objects.filter(pk=other.pk).exists()
