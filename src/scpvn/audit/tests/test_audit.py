"""Who changed what and when, for every audited record, and the page that compares versions."""

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from simple_history.middleware import HistoryRequestMiddleware

from scpvn.audit import services
from scpvn.audit.services import REQUIRED_AUDITED, audited_models


def test_required_records_keep_history():
    audited = {m._meta.label for m in audited_models()}
    missing = [label for label in REQUIRED_AUDITED if label not in audited]
    assert not missing, f"models without HistoricalRecords: {missing}"
    for label in REQUIRED_AUDITED:
        apps.get_model(label)  # and every name still exists


def edit_as(user, change) -> None:
    """Run `change` as if inside a request by `user`, the way views do."""
    request = RequestFactory().post("/")
    request.user = user

    def view(_request):
        change()
        return HttpResponse()

    HistoryRequestMiddleware(view)(request)


@pytest.fixture
def enterprise(users):
    from scpvn.geo.models import District
    from scpvn.registry.models import Enterprise

    record = Enterprise.objects.create(
        tax_code="0100109106", name="Công ty TNHH Xanh", district_id="006", vsic_code="4711"
    )

    def rename():
        record.name = "Công ty TNHH Xanh Sạch"
        record.district = District.objects.get(code="001")
        record.save()

    edit_as(users["agency_officer"], rename)
    return record


@pytest.mark.django_db
def test_change_is_kept_with_who_when_and_what(enterprise, users):
    latest, first = enterprise.history.order_by("-history_id")[:2]
    assert latest.history_user == users["agency_officer"]
    assert latest.history_type == "~" and first.history_type == "+"
    assert latest.history_date >= first.history_date
    delta = latest.diff_against(first)
    assert set(delta.changed_fields) == {"name", "district"}


@pytest.mark.django_db
def test_history_page_compares_two_versions_field_by_field(client, enterprise, users):
    client.force_login(users["reviewer"])
    latest, first = enterprise.history.order_by("-history_id")[:2]
    url = reverse("audit:object", args=["registry.Enterprise", str(enterprise.pk)])
    response = client.get(f"{url}?a={first.history_id}&b={latest.history_id}")
    assert response.status_code == 200
    html = response.content.decode()
    diff = html[html.index('id="diff"') :]
    assert "Công ty TNHH Xanh Sạch" in diff and "Công ty TNHH Xanh</td>" in diff
    assert "Đống Đa" in diff and "Ba Đình" in diff  # related records shown by name
    assert "officer" in html


@pytest.mark.django_db
def test_deleted_record_history_stays_browsable(client, enterprise, users):
    pk = enterprise.pk
    enterprise.delete()
    client.force_login(users["city_admin"])
    response = client.get(reverse("audit:object", args=["registry.Enterprise", str(pk)]))
    assert response.status_code == 200
    assert "Xóa" in response.content.decode() or "Deleted" in response.content.decode()


@pytest.mark.django_db
def test_index_lists_recent_changes_and_refuses_unknown_models(client, enterprise, users):
    client.force_login(users["city_admin"])
    response = client.get(reverse("audit:index"), {"model": "registry.Enterprise"})
    assert "Công ty TNHH Xanh Sạch" in response.content.decode()
    # the caption says how many changes the page holds at most (audit.services.RECENT)
    assert f"{services.RECENT} thay đổi gần nhất" in response.content.decode()
    assert client.get(reverse("audit:index"), {"model": "sessions.Session"}).status_code == 404
    assert client.get(reverse("audit:index"), {"model": "orgs.nope"}).status_code == 404


@pytest.mark.django_db
def test_officers_cannot_browse_history(client, enterprise, users):
    for role in ("agency_officer", "district_officer", "enterprise_user"):
        client.force_login(users[role])
        url = reverse("audit:object", args=["registry.Enterprise", str(enterprise.pk)])
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_every_audited_model_opens(client, users):
    """Including those with many-to-many history (plan tasks' partners, enterprise members)."""
    client.force_login(users["city_admin"])
    for model in audited_models():
        response = client.get(reverse("audit:index"), {"model": model._meta.label})
        assert response.status_code == 200, model._meta.label
