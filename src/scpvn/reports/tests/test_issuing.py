"""Issuing reports (periodic, and a survey's sector and summary reports): register numbers,
the two PAdES signatures, refusals that store nothing, the API beside the pages,
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
from scpvn.orgs.models import Agency
from scpvn.reports import issuing
from scpvn.reports.errors import DocumentError
from scpvn.reports.keys import Pkcs12Key, RemoteKey
from scpvn.reports.models import IssuedDocument, OutgoingRegister, Report
from scpvn.reports.services import frozen_figures, open_report
from scpvn.reports.signing import verify_pdf
from scpvn.reports.tests.pki import PIN, Pki, remote_signing_server, tsa_server
from scpvn.surveys import services as survey_services
from scpvn.surveys.models import SurveyReport
from scpvn.surveys.tests.fixtures import answer

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


@pytest.fixture
def survey_reports(survey, registry, users) -> dict[str, SurveyReport]:
    """The survey of Sở Công Thương answered by its whole sample, and its generated reports
    by sector name ("summary" for the summary)."""
    actor = users["city_admin"]
    survey_services.draw_sample(actor, survey)
    for i, sample in enumerate(survey.responses.select_related("enterprise", "survey")):
        answer(actor, sample, scale=str(2 + i % 4), text="Cần hỗ trợ vốn")
    reports = survey_services.generate_reports(actor, survey)
    return {r.sector.name if r.sector else "summary": r for r in reports}


def test_issue_numbers_signs_twice_and_locks_the_report(users, mini_plan, signing_setup):
    pki = signing_setup
    first = issuing.issue_document(users["reviewer"], approved_report(mini_plan), person_key(pki))
    second = issuing.issue_document(
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
    entry = issuing.issue_document(users["reviewer"], report, person_key(signing_setup))
    with pytest.raises(ValidationError) as refused:
        issuing.cancel_issue(users["reviewer"], entry, "  ")
    assert "reason" in refused.value.message_dict
    issuing.cancel_issue(users["reviewer"], entry, "Sai số liệu mục II")
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED and "Sai số liệu" in report.review_comment
    report.status = Report.Status.APPROVED
    report.save()
    again = issuing.issue_document(users["reviewer"], report, person_key(signing_setup))
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
        issuing.issue_document(users["reviewer"], report, key)
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
        issuing.issue_document(users["reviewer"], report, person_key(pki))
    assert refused.value.code == DocumentError.TSA_UNREACHABLE
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and not IssuedDocument.objects.exists()
    assert not OutgoingRegister.objects.filter(last_number__gt=0).exists()


def test_number_already_used_is_refused(users, mini_plan, signing_setup):
    first = issuing.issue_document(
        users["reviewer"], approved_report(mini_plan), person_key(signing_setup)
    )
    OutgoingRegister.objects.update(last_number=0)  # a register restored from an old copy
    with pytest.raises(ValidationError) as refused:
        issuing.issue_document(
            users["reviewer"], approved_report(mini_plan, "2021-H1"), person_key(signing_setup)
        )
    assert refused.value.code == DocumentError.NUMBER_USED
    assert IssuedDocument.objects.get() == first


def test_only_approvers_of_the_lead_agency_issue(users, mini_plan, signing_setup):
    report = approved_report(mini_plan)
    for role in ("agency_officer", "district_officer", "enterprise_user"):
        with pytest.raises(PermissionDenied):
            issuing.issue_document(users[role], report, person_key(signing_setup))
    draft = open_report(mini_plan.reporting.get(code="6T"), "2022-H1")
    with pytest.raises(ValidationError) as refused:
        issuing.issue_document(users["reviewer"], draft, person_key(signing_setup))
    assert refused.value.code == DocumentError.NOT_APPROVED


def test_remote_signing_service_signs_for_the_person(users, mini_plan, signing_setup):
    server = remote_signing_server(signing_setup.person, signing_setup.ca, token="bi-mat")
    try:
        with pytest.raises(ValidationError) as refused:
            issuing.issue_document(
                users["reviewer"],
                approved_report(mini_plan),
                RemoteKey(server.url, "can-bo", "sai"),
            )
        assert refused.value.code == DocumentError.WRONG_PIN
        entry = issuing.issue_document(
            users["reviewer"], Report.objects.get(), RemoteKey(server.url, "can-bo", "bi-mat")
        )
    finally:
        server.stop()
    assert [c.ok for c in verify_pdf(bytes(entry.pdf))] == [True, True]


def test_tampered_pdf_is_reported_modified_and_poppler_agrees(users, mini_plan, signing_setup):
    entry = issuing.issue_document(
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
    entry = issuing.issue_document(
        users["reviewer"], approved_report(mini_plan), person_key(signing_setup)
    )
    poppler.assert_one_serif_family(bytes(entry.pdf))


def test_survey_reports_are_issued_signed_twice_in_one_typeface(
    users, mini_plan, signing_setup, survey_reports
):
    """A sector report and the summary take the next numbers of the agency's register after
    a periodic report, each signed by the person and the agency; once issued, a report is
    not issued again until that issue is cancelled."""
    periodic = issuing.issue_document(
        users["reviewer"], approved_report(mini_plan), person_key(signing_setup)
    )
    sector = issuing.issue_document(
        users["reviewer"], survey_reports["Cơ khí"], person_key(signing_setup)
    )
    summary = issuing.issue_document(
        users["city_admin"], survey_reports["summary"], person_key(signing_setup)
    )
    assert (periodic.number, sector.number, summary.number) == (1, 2, 3)
    assert sector.code == "2/BC-SCT" and sector.survey_report == survey_reports["Cơ khí"]
    pdf = bytes(sector.pdf)
    out = poppler.run("pdfsig", pdf)
    assert out.stdout.count("Signature Validation: Signature is Valid.") == 2, out.stdout
    checks = verify_pdf(pdf)
    assert [c.signer for c in checks] == ["Lê Hồng Thăng", "Sở Công Thương Hà Nội"]
    poppler.assert_one_serif_family(pdf)
    words = poppler.text(pdf)
    assert "Số: 2/BC-SCT" in words and "Cơ khí" in words
    with pytest.raises(ValidationError) as refused:
        issuing.issue_document(
            users["reviewer"], survey_reports["Cơ khí"], person_key(signing_setup)
        )
    assert refused.value.code == DocumentError.ALREADY_ISSUED
    issuing.cancel_issue(users["reviewer"], sector, "Thiếu phiếu của hai doanh nghiệp")
    again = issuing.issue_document(
        users["reviewer"], survey_reports["Cơ khí"], person_key(signing_setup)
    )
    assert again.number == 4  # the cancelled number 2 is kept, never given again
    sector.refresh_from_db()
    assert sector.status == IssuedDocument.Status.CANCELLED


def test_survey_report_page_issues_and_another_agency_cannot(
    client, users, mini_plan, signing_setup, survey_reports
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = survey_reports["summary"]
    url = reverse("reports:survey-report-issue", args=[report.pk])
    p12 = signing_setup.person.p12(signing_setup.ca)
    client.force_login(users["reviewer"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert url in page and reverse("network:report-download-pdf", args=[report.pk]) in page
    done = client.post(url, {"key_file": SimpleUploadedFile("k.p12", p12), "pin": PIN}, follow=True)
    assert "1/BC-SCT" in done.content.decode()
    entry = IssuedDocument.objects.get()
    assert reverse("reports:issued-file", args=[entry.pk]) in done.content.decode()


def issue_upload(pki, pin=PIN) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"key_file": SimpleUploadedFile("k.p12", pki.person.p12(pki.ca)), "pin": pin}


def test_api_issues_through_the_same_service_with_stable_codes(
    client, users, mini_plan, signing_setup
):
    report = approved_report(mini_plan)
    url = f"/api/reports/{report.pk}/issue/"
    refusals = [
        ("agency_officer", PIN, 403, DocumentError.ISSUE_DENIED),  # not a signer
        ("reviewer", "000000", 400, DocumentError.WRONG_PIN),
    ]
    for who, pin, status, code in refusals:
        client.force_login(users[who])
        answer_ = client.post(url, issue_upload(signing_setup, pin))
        assert answer_.status_code == status, answer_.content
        assert answer_["Content-Type"] == "application/problem+json"
        assert answer_.json()["code"] == code
        assert not IssuedDocument.objects.exists()
        assert not OutgoingRegister.objects.filter(last_number__gt=0).exists()
    client.force_login(users["reviewer"])
    done = client.post(url, issue_upload(signing_setup))
    assert done.status_code == 201, done.content
    assert done.json()["code"] == "1/BC-SCT" and done.json()["report"] == report.pk
    again = client.post(url, issue_upload(signing_setup))
    assert again.status_code == 400 and again.json()["code"] == DocumentError.ALREADY_ISSUED
    assert IssuedDocument.objects.count() == 1


def test_api_refuses_a_signer_out_of_scope_and_writes_nothing(
    client, users, mini_plan, signing_setup, survey_reports
):
    """The reviewer signs for Sở Công Thương: not a report of Sở TN&MT, nor its survey's."""
    stnmt = Agency.objects.get(code="STNMT")
    duty = mini_plan.reporting.create(
        code="STNMT-6T", what="Báo cáo 6 tháng", frequency="semiannual", by=stnmt
    )
    theirs = Report.objects.create(
        plan=mini_plan, duty=duty, period="2020-H1", status=Report.Status.APPROVED
    )
    survey_report = survey_reports["summary"]
    survey_report.survey.agency = stnmt
    survey_report.survey.save()
    client.force_login(users["reviewer"])
    for url in (
        f"/api/reports/{theirs.pk}/issue/",
        f"/api/survey-reports/{survey_report.pk}/issue/",
    ):
        refused = client.post(url, issue_upload(signing_setup))
        assert refused.status_code == 403, refused.content
        assert refused.json()["code"] == DocumentError.ISSUE_DENIED
    theirs.refresh_from_db()
    assert theirs.status == Report.Status.APPROVED
    assert not IssuedDocument.objects.exists() and not OutgoingRegister.objects.exists()


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
    on_postgresql, units_loaded, users, mini_plan, signing_setup, survey_reports
):
    """Two periodic reports and a survey's sector report (another kind of document, the
    same register) issued at the same moment."""
    reports = [approved_report(mini_plan, p) for p in ("2020-H1", "2021-H1")]
    reports.append(survey_reports["Cơ khí"])
    results, barrier = [], threading.Barrier(len(reports))

    def issue(report):
        from django.db import connections

        barrier.wait()
        try:
            results.append(
                issuing.issue_document(users["reviewer"], report, person_key(signing_setup)).number
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(r,)) for r in reports]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [1, 2, 3]


def test_register_page_export_and_verify_page(client, users, mini_plan, signing_setup):
    entry = issuing.issue_document(
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
        issuing.issue_document(
            users["reviewer"], report, Pkcs11Key(token, "scpvn", "can-bo", "999999")
        )
    assert refused.value.code == DocumentError.WRONG_PIN
    entry = issuing.issue_document(
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
