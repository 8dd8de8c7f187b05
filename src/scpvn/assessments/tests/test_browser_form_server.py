"""The server side of the browser form: the page, its service worker, and submissions made
with the officer's session, which must carry the CSRF token (a cookie alone submits nothing)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.models import Submission
from scpvn.assessments.publishing import publish_form
from scpvn.assessments.tests.test_xlsform_openrosa import field, instance  # noqa: F401
from scpvn.assessments.tests.xlsforms import workbook

pytestmark = pytest.mark.django_db


def post(client, xml: bytes, **headers):
    files = {
        "xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml"),
        "anh.png": SimpleUploadedFile("anh.png", sample_photo(), "image/png"),
    }
    return client.post(
        reverse("openrosa:submission"), files, HTTP_X_REQUESTED_WITH="fetch", **headers
    )


def test_a_session_submits_only_with_the_csrf_token_and_once(field):  # noqa: F811
    form = publish_form(field["agency_officer"], workbook())
    client = Client(enforce_csrf_checks=True)
    client.force_login(field["district_officer"])
    page = client.get(reverse("assessments:form_fill", args=[form.pk]))
    assert page.status_code == 200
    assert reverse("openrosa:form", args=[form.pk]) in page.content.decode()
    token = client.cookies["csrftoken"].value
    xml = instance(form, field["market"], "uuid:browser-1")

    refused = post(client, xml)
    assert refused.status_code == 401 and "WWW-Authenticate" not in refused
    assert not Submission.objects.exists()

    assert post(client, xml, HTTP_X_CSRFTOKEN=token).status_code == 201
    assert post(client, xml, HTTP_X_CSRFTOKEN=token).status_code == 202
    assert Submission.objects.get().submitted_by == field["district_officer"]


def test_the_fill_page_is_for_officers_who_reach_the_form(field, client):  # noqa: F811
    form = publish_form(field["agency_officer"], workbook())
    client.force_login(field["reviewer"])
    assert client.get(reverse("assessments:form_fill", args=[form.pk])).status_code == 403


def test_the_service_worker_is_served_under_the_forms_scope(client):
    response = client.get(reverse("assessments:form_fill_sw"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert reverse("assessments:form_fill_sw").startswith("/assessments/forms/")
