"""Text typed decomposed (NFD) is stored composed (NFC) and found by a composed search."""

import unicodedata

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NAME = "Hội nghị tiêu dùng bền vững Đống Đa"


def test_a_name_typed_in_nfd_is_stored_nfc_and_found(client, users, tmp_path, settings):
    from scpvn.progress.models import Activity
    from scpvn.progress.tests.factories import form
    from scpvn.registry.models import Enterprise

    settings.MEDIA_ROOT = tmp_path
    decomposed = unicodedata.normalize("NFD", NAME)
    assert decomposed != NAME
    client.force_login(users["agency_officer"])
    client.post(reverse("progress:activity_new"), form(title=decomposed, links=""))
    assert Activity.objects.get().title == NAME
    api = client.post(
        reverse("activity-list"), form(title=decomposed, links=""), content_type="application/json"
    )
    assert api.status_code == 201, api.content
    assert Activity.objects.get(pk=api.json()["id"]).title == NAME

    Enterprise.objects.create(
        tax_code="0100109106",
        name="Siêu thị Đống Đa",
        district=users["district_officer"].district,
        vsic_code="4711",
    )
    query = unicodedata.normalize("NFD", "Đống Đa")
    found = client.get(reverse("enterprise-list"), {"q": query}).json()["results"]
    assert [e["name"] for e in found] == ["Siêu thị Đống Đa"]
