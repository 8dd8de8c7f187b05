"""Issuing reports: register numbers, the two PAdES signatures, refusals that store nothing,
verification, and what poppler's pdfsig and pdffonts make of the result."""

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from scpvn.core.tests import poppler
from scpvn.reports import issuing
from scpvn.reports.errors import DocumentError
from scpvn.reports.keys import Pkcs12Key, RemoteKey
from scpvn.reports.models import IssuedDocument, OutgoingRegister, Report
from scpvn.reports.services import frozen_figures, open_report
from scpvn.reports.signing import verify_pdf
from scpvn.reports.tests.pki import PIN, Pki, remote_signing_server, tsa_server

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return Pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def tsa(pki):
    server = tsa_server(pki)
    yield server
    server.stop()


@pytest.fixture
def signing_setup(settings, pki, tsa):
    pki.configure(settings, tsa.url)
    return pki


def approved_report(plan, period="2020-H1") -> Report:
    report = open_report(plan.reporting.get(code="6T"), period)
    report.signer_name = "Lê Hồng Thăng"
    report.status = Report.Status.APPROVED
    report.snapshot = frozen_figures(report, timezone.now())
    report.save()
    return report


def person_key(pki, cert=None, pin=PIN) -> Pkcs12Key:
    return Pkcs12Key((cert or pki.person).p12(pki.ca), pin)


def test_issue_numbers_signs_twice_and_locks_the_report(users, mini_plan, signing_setup):
    pki = signing_setup
    first = issuing.issue_report(users["reviewer"], approved_report(mini_plan), person_key(pki))
    second = issuing.issue_report(
        users["city_admin"], approved_report(mini_plan, "2021-H1"), person_key(pki)
    )
    assert (first.number, second.number) == (1, 2)
    assert first.code == "1/BC-SCT" and first.report.status == Report.Status.ISSUED
    assert first.report.editable is False
    checks = verify_pdf(bytes(first.pdf))
    assert [c.signer for c in checks] == ["Lê Hồng Thăng", "Sở Công Thương Hà Nội"]
    assert all(c.ok for c in checks), checks
    assert all(c.timestamp for c in checks)  # from the loopback TSA
    assert checks[0].chain == ["CA thử nghiệm scpvn", "Lê Hồng Thăng"]
    metadata = PdfFileReader(io.BytesIO(bytes(first.pdf))).root["/Metadata"].get_object().data
    assert b'pdfaid:part="2" pdfaid:conformance="B"' in metadata  # the archive copy: PDF/A-2b


def test_cancelled_number_is_kept_and_never_given_again(users, mini_plan, signing_setup):
    report = approved_report(mini_plan)
    entry = issuing.issue_report(users["reviewer"], report, person_key(signing_setup))
    with pytest.raises(ValidationError) as refused:
        issuing.cancel_issue(users["reviewer"], entry, "  ")
    assert "reason" in refused.value.message_dict
    issuing.cancel_issue(users["reviewer"], entry, "Sai số liệu mục II")
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED and "Sai số liệu" in report.review_comment
    report.status = Report.Status.APPROVED
    report.save()
    again = issuing.issue_report(users["reviewer"], report, person_key(signing_setup))
    entry.refresh_from_db()
    assert entry.status == IssuedDocument.Status.CANCELLED and entry.cancel_reason
    assert again.number == 2


@pytest.mark.parametrize(
    ("who", "pin", "code"),
    [
        ("expired", PIN, DocumentError.CERT_EXPIRED),
        ("revoked", PIN, DocumentError.CERT_REVOKED),
        ("tls", PIN, DocumentError.CERT_PURPOSE),
        ("person", "000000", DocumentError.WRONG_PIN),
    ],
)
def test_bad_keys_are_refused_and_nothing_is_stored(
    users, mini_plan, signing_setup, who, pin, code
):
    report = approved_report(mini_plan)
    key = person_key(signing_setup, getattr(signing_setup, who), pin)
    with pytest.raises(ValidationError) as refused:
        issuing.issue_report(users["reviewer"], report, key)
    assert refused.value.code == code, refused.value
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert (
        not IssuedDocument.objects.exists()
        and not OutgoingRegister.objects.filter(last_number__gt=0).exists()
    )


def test_unreachable_tsa_stores_nothing(users, mini_plan, settings, pki):
    pki.configure(settings, "http://127.0.0.1:9/tsa")
    report = approved_report(mini_plan)
    with pytest.raises(ValidationError) as refused:
        issuing.issue_report(users["reviewer"], report, person_key(pki))
    assert refused.value.code == DocumentError.TSA_UNREACHABLE
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and not IssuedDocument.objects.exists()
    assert not OutgoingRegister.objects.filter(last_number__gt=0).exists()


def test_number_already_used_is_refused(users, mini_plan, signing_setup):
    first = issuing.issue_report(
        users["reviewer"], approved_report(mini_plan), person_key(signing_setup)
    )
    OutgoingRegister.objects.update(last_number=0)  # a register restored from an old copy
    with pytest.raises(ValidationError) as refused:
        issuing.issue_report(
            users["reviewer"], approved_report(mini_plan, "2021-H1"), person_key(signing_setup)
        )
    assert refused.value.code == DocumentError.NUMBER_USED
    assert IssuedDocument.objects.get() == first


def test_only_approvers_of_the_lead_agency_issue(users, mini_plan, signing_setup):
    report = approved_report(mini_plan)
    for role in ("agency_officer", "district_officer", "enterprise_user"):
        with pytest.raises(PermissionDenied):
            issuing.issue_report(users[role], report, person_key(signing_setup))
    draft = open_report(mini_plan.reporting.get(code="6T"), "2022-H1")
    with pytest.raises(ValidationError) as refused:
        issuing.issue_report(users["reviewer"], draft, person_key(signing_setup))
    assert refused.value.code == DocumentError.NOT_APPROVED


def test_remote_signing_service_signs_for_the_person(users, mini_plan, signing_setup):
    server = remote_signing_server(signing_setup.person, signing_setup.ca, token="bi-mat")
    try:
        with pytest.raises(ValidationError) as refused:
            issuing.issue_report(
                users["reviewer"],
                approved_report(mini_plan),
                RemoteKey(server.url, "can-bo", "sai"),
            )
        assert refused.value.code == DocumentError.WRONG_PIN
        entry = issuing.issue_report(
            users["reviewer"], Report.objects.get(), RemoteKey(server.url, "can-bo", "bi-mat")
        )
    finally:
        server.stop()
    assert [c.ok for c in verify_pdf(bytes(entry.pdf))] == [True, True]


def test_tampered_pdf_is_reported_modified_and_poppler_agrees(users, mini_plan, signing_setup):
    entry = issuing.issue_report(
        users["reviewer"], approved_report(mini_plan), person_key(signing_setup)
    )
    pdf = bytes(entry.pdf)
    out = poppler.run("pdfsig", pdf)
    assert out.stdout.count("Signature Validation: Signature is Valid.") == 2, out.stdout
    # Change one byte that both signatures cover (a letter of the producer's name).
    at = pdf.index(b"WeasyPrint") + 1
    tampered = pdf[:at] + b"E" + pdf[at + 1 :]
    assert not any(c.ok for c in verify_pdf(tampered))
    out = poppler.run("pdfsig", tampered)
    # poppler's words for "the signed bytes changed": the document was modified after signing
    assert out.stdout.count("Signature Validation: Digest Mismatch.") == 2, out.stdout


def test_issued_pdf_has_one_typeface(users, mini_plan, signing_setup):
    entry = issuing.issue_report(
        users["reviewer"], approved_report(mini_plan), person_key(signing_setup)
    )
    poppler.assert_one_serif_family(bytes(entry.pdf))


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL để thử hai phiên cùng lúc (SQLite ghi tuần tự)")


@pytest.fixture
def units_loaded(transactional_db):
    """The districts and their agencies, which an earlier transactional test may have
    flushed (they are loaded by a migration, not by this test)."""
    from scpvn.geo.services import load_reference_data
    from scpvn.orgs.services import ensure_district_agencies

    load_reference_data()
    ensure_district_agencies()


@pytest.mark.django_db(transaction=True)
def test_two_issues_at_once_get_consecutive_numbers(
    on_postgresql, units_loaded, users, mini_plan, signing_setup
):
    reports = [approved_report(mini_plan, p) for p in ("2020-H1", "2021-H1")]
    results, barrier = [], threading.Barrier(2)

    def issue(report):
        from django.db import connections

        barrier.wait()
        try:
            results.append(
                issuing.issue_report(users["reviewer"], report, person_key(signing_setup)).number
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(r,)) for r in reports]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [1, 2]


def test_register_page_export_and_verify_page(client, users, mini_plan, signing_setup):
    entry = issuing.issue_report(
        users["reviewer"], approved_report(mini_plan), person_key(signing_setup)
    )
    client.force_login(users["agency_officer"])
    page = client.get(reverse("reports:register"))
    assert "1/BC-SCT" in page.content.decode()
    csv = client.get(reverse("reports:register-export", args=["csv"]))
    assert "1/BC-SCT" in csv.content.decode("utf-8-sig")
    assert client.get(reverse("reports:register-export", args=["xlsx"])).status_code == 200
    api = client.get("/api/issued-documents/").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert rows[0]["code"] == "1/BC-SCT"
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        reverse("reports:verify"), {"file": SimpleUploadedFile("vb.pdf", bytes(entry.pdf))}
    )
    assert "Lê Hồng Thăng" in answer.content.decode() and answer.status_code == 200
    api = client.post("/api/verify-pdf/", {"file": SimpleUploadedFile("vb.pdf", bytes(entry.pdf))})
    assert api.status_code == 200 and [s["ok"] for s in api.json()["signatures"]] == [True, True]
    bad = client.post("/api/verify-pdf/", {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF")})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture
def token(tmp_path, monkeypatch, signing_setup):
    """A SoftHSM2 token holding the person's key and certificate, as a USB token would."""
    import os
    import shutil
    import subprocess

    if not os.path.exists(SOFTHSM) or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 (gói softhsm2) không có trên máy này")
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass, lib

    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    key_pem = tmp_path / "key.pem"
    key_pem.write_bytes(
        signing_setup.person.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    run = [
        ["--init-token", "--free", "--label", "scpvn", "--pin", PIN, "--so-pin", "12345678"],
        [
            "--import",
            str(key_pem),
            "--token",
            "scpvn",
            "--label",
            "can-bo",
            "--id",
            "01",
            "--pin",
            PIN,
        ],
    ]
    for args in run:
        subprocess.run(["softhsm2-util", *args], check=True, capture_output=True)
    key_pem.unlink()
    module = lib(SOFTHSM)
    module.reinitialize()
    with module.get_token(token_label="scpvn").open(user_pin=PIN, rw=True) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "can-bo",
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: signing_setup.person.cert.subject.public_bytes(),
                Attribute.VALUE: signing_setup.person.cert.public_bytes(serialization.Encoding.DER),
            }
        )
    return SOFTHSM


def test_pkcs11_token_signs_and_a_wrong_pin_is_refused(users, mini_plan, signing_setup, token):
    from scpvn.reports.keys import Pkcs11Key

    report = approved_report(mini_plan)
    with pytest.raises(ValidationError) as refused:
        issuing.issue_report(
            users["reviewer"], report, Pkcs11Key(token, "scpvn", "can-bo", "999999")
        )
    assert refused.value.code == DocumentError.WRONG_PIN
    entry = issuing.issue_report(
        users["reviewer"], report, Pkcs11Key(token, "scpvn", "can-bo", PIN)
    )
    checks = verify_pdf(bytes(entry.pdf))
    assert [c.signer for c in checks] == ["Lê Hồng Thăng", "Sở Công Thương Hà Nội"]
    assert all(c.ok for c in checks)


def test_issue_and_cancel_pages(client, users, mini_plan, signing_setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = approved_report(mini_plan)
    p12 = signing_setup.person.p12(signing_setup.ca)
    client.force_login(users["reviewer"])
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:issue", args=[report.pk]) in page
    wrong = client.post(
        reverse("reports:issue", args=[report.pk]),
        {"key_file": SimpleUploadedFile("k.p12", p12), "pin": "sai"},
        follow=True,
    )
    assert "sai mật khẩu" in wrong.content.decode() and not IssuedDocument.objects.exists()
    done = client.post(
        reverse("reports:issue", args=[report.pk]),
        {"key_file": SimpleUploadedFile("k.p12", p12), "pin": PIN},
        follow=True,
    )
    assert "1/BC-SCT" in done.content.decode()
    entry = IssuedDocument.objects.get()
    pdf = client.get(reverse("reports:issued-file", args=[entry.pk]))
    assert pdf.content == bytes(entry.pdf)
    client.force_login(users["agency_officer"])  # may read the register, not cancel
    assert (
        client.post(reverse("reports:cancel", args=[entry.pk]), {"reason": "x"}).status_code == 403
    )
    client.force_login(users["reviewer"])
    client.post(reverse("reports:cancel", args=[entry.pk]), {"reason": "Sai số liệu"})
    entry.refresh_from_db()
    assert entry.status == IssuedDocument.Status.CANCELLED and entry.cancel_reason == "Sai số liệu"


def test_command_line_keys_then_issue(tmp_path, settings, users, mini_plan):
    """What a demo user does: make throwaway keys, point the settings at them, issue."""
    import json
    import shlex

    from django.core.management import call_command

    out = io.StringIO()
    call_command("report", "keys", "--out", str(tmp_path / "keys"), stdout=out)
    exported = dict(
        shlex.split(line.removeprefix("export "))[0].split("=", 1)
        for line in out.getvalue().splitlines()
        if line.startswith("export ")
    )
    settings.SCPVN_SIGN_TRUST_ROOTS = [exported["SCPVN_SIGN_TRUST_ROOTS"]]
    settings.SCPVN_AGENCY_SIGNERS = json.loads(exported["SCPVN_AGENCY_SIGNERS"])
    settings.SCPVN_SIGN_CRLS, settings.SCPVN_SIGN_FETCH_REVOCATION = [], False
    settings.SCPVN_SIGN_TSA_URL = ""
    approved_report(mini_plan)
    call_command(
        "report",
        "issue",
        "--plan",
        mini_plan.code,
        "--period",
        "2020-H1",
        "--user",
        users["reviewer"].username,
        "--key",
        str(tmp_path / "keys" / "nguoi-ky.p12"),
        "--pin",
        PIN,
        "--out",
        str(tmp_path / "bc.pdf"),
        stdout=io.StringIO(),
    )
    pdf = (tmp_path / "bc.pdf").read_bytes()
    assert [c.ok for c in verify_pdf(pdf)] == [True, True]
    result = poppler.run("pdfsig", pdf)
    assert result.stdout.count("Signature Validation: Signature is Valid.") == 2, result.stdout
