"""HTTP Digest on the OpenRosa endpoints, spoken by a real client (`requests`' HTTPDigestAuth,
as ODK Collect speaks it) to a live server: an officer in scope lists, downloads and submits
(a resent visit stored once), one outside the scope does not see the form, a wrong password,
a replayed nonce-count and a forged nonce are refused, an expired nonce is answered
`stale=true`, and an account without a partial digest is told how to get one while Basic and
tokens still work. Then where partial digests come from: set_password, a sign-in, the
createsuperuser command; and what voids one."""

import time

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from scpvn.assessments.demo import sample_photo
from scpvn.assessments.models import Submission
from scpvn.assessments.publishing import publish_form
from scpvn.assessments.tests.test_xlsform_openrosa import PASSWORD, field, instance  # noqa: F401
from scpvn.assessments.tests.xlsforms import workbook
from scpvn.orgs import digest
from scpvn.orgs.models import PartialDigest, User

pytestmark = pytest.mark.django_db


def live(test):
    """A live server in a thread: its database is the test's, committed."""
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.usefixtures("reference_data")(test)


OPENROSA = {"X-OpenRosa-Version": "1.0"}


def url(live_server, name: str, **kwargs) -> str:
    return live_server.url + reverse(f"openrosa:{name}", kwargs=kwargs)


def as_officer(user, password: str = PASSWORD) -> requests.Session:
    session = requests.Session()
    session.auth = HTTPDigestAuth(user.username, password)
    session.headers.update(OPENROSA)
    return session


def send(session: requests.Session, live_server, xml: bytes) -> requests.Response:
    files = {
        "xml_submission_file": ("submission.xml", xml, "text/xml"),
        "anh.png": ("anh.png", sample_photo(), "image/png"),
    }
    return session.post(url(live_server, "submission"), files=files, timeout=30)


def signed_header(user, password: str, path: str, nonce: str, nc: str = "00000001") -> str:
    """An Authorization header computed by hand, for the nonces a client would not send."""
    creds = digest.Credentials(
        username=user.username,
        realm=digest.realm(),
        nonce=nonce,
        uri=path,
        response="",
        opaque=digest.opaque(),
        qop="auth",
        nc=nc,
        cnonce="0a4f113b",
        algorithm="MD5",
    )
    ha1 = PartialDigest.objects.get(user=user).ha1
    response = digest.expected_response(ha1, creds, "GET")
    return (
        f'Digest username="{user.username}", realm="{creds.realm}", nonce="{nonce}", '
        f'uri="{path}", response="{response}", opaque="{creds.opaque}", qop=auth, nc={nc}, '
        f'cnonce="{creds.cnonce}", algorithm=MD5'
    )


@live
def test_collect_over_digest_sees_its_scope_and_a_resent_visit_is_stored_once(
    live_server,
    field,  # noqa: F811
):
    form = publish_form(field["agency_officer"], workbook())
    officer = as_officer(field["district_officer"])

    anonymous = requests.get(url(live_server, "form-list"), headers=OPENROSA, timeout=30)
    assert anonymous.status_code == 401
    offered = anonymous.headers["WWW-Authenticate"]
    assert offered.startswith(f'Digest realm="{digest.realm()}", qop="auth", nonce="')
    assert "algorithm=MD5" in offered and 'opaque="' in offered and "Basic realm=" in offered

    listing = officer.get(url(live_server, "form-list"), timeout=30)
    assert listing.status_code == 200 and listing.headers["X-OpenRosa-Version"] == "1.0"
    assert "<formID>KT-CHO</formID>" in listing.text
    download = officer.get(url(live_server, "form", pk=form.pk), timeout=30)
    assert download.status_code == 200 and download.text == form.xml
    manifest = officer.get(url(live_server, "manifest", pk=form.pk), timeout=30)
    assert "<filename>places.csv</filename>" in manifest.text
    places = officer.get(url(live_server, "media", pk=form.pk, filename="places.csv"), timeout=30)
    assert "Chợ Văn Miếu" in places.text and "Đồng Xuân" not in places.text

    assert officer.head(url(live_server, "submission"), timeout=30).status_code == 204
    xml = instance(form, field["market"], "uuid:digest-1")
    assert send(officer, live_server, xml).status_code == 201
    assert send(officer, live_server, xml).status_code == 202
    stored = Submission.objects.get()
    assert stored.submitted_by == field["district_officer"]

    # Another department's officer signs in fine and is shown nothing of this form.
    other = as_officer(field["builders_officer"])
    listing = other.get(url(live_server, "form-list"), timeout=30)
    assert listing.status_code == 200 and "KT-CHO" not in listing.text
    assert other.get(url(live_server, "form", pk=form.pk), timeout=30).status_code == 404
    # A role that does not collect in the field is signed in, then refused.
    enterprise = as_officer(field["enterprise_user"])
    assert enterprise.get(url(live_server, "form-list"), timeout=30).status_code == 403


@live
def test_a_wrong_password_a_replayed_count_and_a_forged_nonce_are_refused(
    live_server,
    field,  # noqa: F811
):
    user = field["district_officer"]
    form_list = url(live_server, "form-list")
    wrong = as_officer(user, "not-the-password").get(form_list, timeout=30)
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Digest ")
    assert "<formID>" not in wrong.text

    officer = as_officer(user)
    first = officer.get(form_list, timeout=30)
    assert first.status_code == 200
    signed = first.request.headers["Authorization"]
    assert "nc=00000001" in signed
    # The client reuses its nonce with the next count: accepted.
    second = officer.get(form_list, timeout=30)
    assert second.status_code == 200 and "nc=00000002" in second.request.headers["Authorization"]
    # The first request's header sent again (a captured request replayed): refused.
    replay = requests.get(form_list, headers={**OPENROSA, "Authorization": signed}, timeout=30)
    assert replay.status_code == 401 and "<formID>" not in replay.text
    assert "nonce-count" in replay.text

    path = reverse("openrosa:form-list")
    forged = digest.make_nonce()[:-4] + "0000"
    refused = requests.get(
        form_list,
        headers={**OPENROSA, "Authorization": signed_header(user, PASSWORD, path, forged)},
        timeout=30,
    )
    assert refused.status_code == 401 and "stale=true" not in refused.headers["WWW-Authenticate"]
    # A header signed for one address does not open another.
    other = url(live_server, "submission")
    moved = requests.head(other, headers={**OPENROSA, "Authorization": signed}, timeout=30)
    assert moved.status_code == 401


@live
def test_an_expired_nonce_is_answered_stale_and_the_client_carries_on(
    live_server,
    field,  # noqa: F811
    settings,
):
    user = field["district_officer"]
    path = reverse("openrosa:form-list")
    old = digest.make_nonce(now=time.time() - settings.SCPVN_DIGEST_NONCE_SECONDS - 5)
    expired = requests.get(
        live_server.url + path,
        headers={**OPENROSA, "Authorization": signed_header(user, PASSWORD, path, old)},
        timeout=30,
    )
    assert expired.status_code == 401
    assert expired.headers["WWW-Authenticate"].split(", Basic")[0].endswith("stale=true")
    # The same expired nonce with a wrong password is not "stale": it is wrong.
    wrong = requests.get(
        live_server.url + path,
        headers={**OPENROSA, "Authorization": signed_header(user, PASSWORD, path, old)[:-40]},
        timeout=30,
    )
    assert wrong.status_code == 401 and "stale=true" not in wrong.headers["WWW-Authenticate"]
    assert as_officer(user).get(live_server.url + path, timeout=30).status_code == 200


@live
def test_an_account_without_a_partial_digest_is_told_and_a_sign_in_gives_it_one(
    live_server,
    field,  # noqa: F811
):
    user = field["district_officer"]
    PartialDigest.objects.filter(user=user).delete()
    form_list = url(live_server, "form-list")

    refused = as_officer(user).get(form_list, timeout=30)
    assert refused.status_code == 401 and "khoá Digest" in refused.text
    assert "Basic realm=" in refused.headers["WWW-Authenticate"]
    # An unknown name gets the very same answer (no list of accounts to be had).
    unknown = requests.get(form_list, auth=HTTPDigestAuth("nobody", "x"), timeout=30)
    assert unknown.status_code == 401 and "khoá Digest" in unknown.text

    # Basic still works, and signing in with the password writes the partial digest.
    basic = requests.get(form_list, auth=HTTPBasicAuth(user.username, PASSWORD), timeout=30)
    assert basic.status_code == 200 and "KT-CHO" not in basic.text  # no form published
    assert PartialDigest.objects.filter(user=user).exists()
    assert as_officer(user).get(form_list, timeout=30).status_code == 200


def test_partial_digests_follow_the_password():
    user = User.objects.create_user("can.bo", password="mat-khau-1")
    stored = PartialDigest.objects.get(user=user)
    assert stored.ha1 == digest._md5(f"can.bo:{digest.realm()}:mat-khau-1")

    user.set_password("mat-khau-2")
    user.save()
    assert PartialDigest.for_user(user).ha1 == digest._md5(f"can.bo:{digest.realm()}:mat-khau-2")

    # A password changed behind the model's back voids it; a sign-in writes it again.
    User.objects.filter(pk=user.pk).update(password=User.objects.get(pk=user.pk).password + "x")
    changed = User.objects.get(pk=user.pk)
    assert PartialDigest.for_user(changed) is None
    changed.set_password("mat-khau-3")
    changed.save()
    assert changed.check_password("mat-khau-3") and PartialDigest.for_user(changed) is not None

    # Renamed: the old digest named the old user name.
    changed.username = "can.bo.moi"
    changed.save()
    assert PartialDigest.for_user(changed) is None
    assert changed.check_password("mat-khau-3")
    assert PartialDigest.for_user(changed).username == "can.bo.moi"

    changed.set_unusable_password()
    changed.save()
    assert PartialDigest.for_user(changed) is None


def test_createsuperuser_and_a_switched_off_digest(monkeypatch, settings):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "mat-khau-quan-tri-9")
    call_command("createsuperuser", "--noinput", username="quantri2", email="q@example.vn")
    assert PartialDigest.for_user(User.objects.get(username="quantri2")) is not None

    settings.SCPVN_OPENROSA_DIGEST = False
    user = User.objects.create_user("khong.digest", password="mat-khau-1")
    assert not PartialDigest.objects.filter(user=user).exists()
