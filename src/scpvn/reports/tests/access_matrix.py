from django.urls import reverse

from scpvn.core.tests.matrix import REVIEW, STAFF, Rule, Write


def report(w):
    from scpvn.reports.services import open_report

    return open_report(w.plan.reporting.get(code="6T"), "2020-H1")


# The inspection report (10.2) of a deliverable: the task's lead agency (SCT, the world's
# agency officer's and reviewer's) and the city administrator.
INSPECTORS = REVIEW | {"agency_officer"}


def inspection_report(w):
    from scpvn.reports.inspections import open_inspection_report

    deliverable = w.plan.tasks.get(number=1).deliverables.get(code="1.1")
    return open_inspection_report(w.users["city_admin"], deliverable, "2020-H1")


RULES = {
    "reports:list": Rule(get=STAFF),
    "reports:open": Rule(get=STAFF, skip="POST only: tested in reports/tests/test_reports.py"),
    "reports:detail": Rule(get=STAFF, kwargs=lambda w: {"pk": report(w).pk}),
    "reports:section": Rule(get=STAFF, kwargs=lambda w: {"pk": report(w).pk}, skip="POST only"),
    "reports:duty-section": Rule(
        get=STAFF,
        kwargs=lambda w: {"pk": report(w).pk},
        skip="POST only: tested in reports/tests/test_duties_in_report.py",
    ),
    "reports:compile": Rule(get=STAFF, kwargs=lambda w: {"pk": report(w).pk}, skip="POST only"),
    "reports:action": Rule(
        get=STAFF, kwargs=lambda w: {"pk": report(w).pk, "action": "submit"}, skip="POST only"
    ),
    "reports:download": Rule(get=STAFF, kwargs=lambda w: {"pk": report(w).pk, "fmt": "xlsx"}),
    "reports:issue": Rule(
        get=REVIEW, kwargs=lambda w: {"pk": report(w).pk}, skip="POST only: test_issuing.py"
    ),
    "reports:register": Rule(get=STAFF),
    "reports:register-export": Rule(get=STAFF, kwargs=lambda w: {"fmt": "csv"}),
    "reports:issued-file": Rule(
        get=STAFF, kwargs=lambda w: {"pk": 1}, skip="needs a signed document: test_issuing.py"
    ),
    "reports:cancel": Rule(
        get=REVIEW, kwargs=lambda w: {"pk": 1}, skip="POST only: test_issuing.py"
    ),
    "reports:verify": Rule(get=STAFF),
    "issued-document-list": Rule(get=STAFF),
    "issued-document-detail": Rule(
        get=STAFF, kwargs=lambda w: {"pk": 1}, skip="needs a signed document: test_issuing.py"
    ),
    "verify-pdf-list": Rule(get=STAFF, skip="POST only (multipart): test_issuing.py"),
    "report-list": Rule(get=STAFF),
    "report-detail": Rule(get=STAFF, kwargs=lambda w: {"pk": report(w).pk}),
    "reports:inspections": Rule(get=INSPECTORS),
    "reports:inspection": Rule(get=INSPECTORS, kwargs=lambda w: {"pk": inspection_report(w).pk}),
    "reports:inspection-download": Rule(
        get=INSPECTORS, kwargs=lambda w: {"pk": inspection_report(w).pk, "fmt": "docx"}
    ),
    "reports:inspection-issue": Rule(
        get=REVIEW,
        kwargs=lambda w: {"pk": inspection_report(w).pk},
        skip="POST only: reports/tests/test_inspection_report.py",
    ),
    "reports:survey-report-issue": Rule(
        get=REVIEW, kwargs=lambda w: {"pk": 1}, skip="POST only: test_issuing.py"
    ),
    # Issuing through the API (multipart key file and PIN): refusals and the 201 are tested in
    # test_issuing.py (out of role, out of scope, wrong PIN, already issued: nothing written).
    "report-issue": Rule(
        get=REVIEW, kwargs=lambda w: {"pk": report(w).pk}, skip="POST only: test_issuing.py"
    ),
    "inspection-report-issue": Rule(
        get=REVIEW,
        kwargs=lambda w: {"pk": inspection_report(w).pk},
        skip="POST only: test_inspection_report.py",
    ),
    "survey-report-issue": Rule(
        get=REVIEW, kwargs=lambda w: {"pk": 1}, skip="POST only: test_issuing.py"
    ),
    "inspection-report-list": Rule(get=INSPECTORS),
    "inspection-report-detail": Rule(
        get=INSPECTORS, kwargs=lambda w: {"pk": inspection_report(w).pk}
    ),
    "inspection-report-file": Rule(
        get=INSPECTORS, kwargs=lambda w: {"pk": inspection_report(w).pk}, query="fmt=docx"
    ),
}


def reports_in(status: str, period: str):
    """A fresh report of Sở Công Thương (the world's agency officer's agency) and one of
    Sở TN&MT for `period` (one report per duty and period), both in `status`."""

    def build(w) -> dict:
        from scpvn.orgs.models import Agency
        from scpvn.reports.models import Report

        stnmt, _ = w.plan.reporting.get_or_create(
            code="STNMT-6T",
            defaults={
                "what": "Báo cáo 6 tháng",
                "frequency": "semiannual",
                "by": Agency.objects.get(code="STNMT"),
            },
        )
        duties = {"sct": w.plan.reporting.get(code="6T"), "stnmt": stnmt}
        return {
            name: Report.objects.create(plan=w.plan, duty=duty, period=period, status=status)
            for name, duty in duties.items()
        }

    return build


def in_status(status: str):
    return lambda report: report.status == status


def action(name: str):
    return lambda w, r: reverse("reports:action", kwargs={"pk": r.pk, "action": name})


# The reporting agency submits (a city administrator any); reviewers approve and return.
WRITES = [
    Write(
        "report submit",
        reports_in("draft", "2020-H2"),
        {"city_admin": frozenset({"sct", "stnmt"}), "agency_officer": frozenset({"sct"})},
        action("submit"),
        in_status("submitted"),
    ),
    Write(
        "report approve",
        reports_in("submitted", "2020-Q3"),
        {"city_admin": frozenset({"sct", "stnmt"}), "reviewer": frozenset({"sct", "stnmt"})},
        action("approve"),
        in_status("approved"),
    ),
    Write(
        "report return",
        reports_in("submitted", "2020-Q4"),
        {"city_admin": frozenset({"sct", "stnmt"}), "reviewer": frozenset({"sct", "stnmt"})},
        action("return"),
        in_status("returned"),
        data=lambda w, r: {"comment": "Bổ sung số liệu"},
    ),
    Write(
        "report compile",
        reports_in("draft", "2020"),
        {"city_admin": frozenset({"sct", "stnmt"}), "agency_officer": frozenset({"sct"})},
        lambda w, r: reverse("reports:compile", kwargs={"pk": r.pk}),
        lambda report: report.summary == "Đạt kế hoạch",
        data=lambda w, r: {"version": r.version, "summary": "Đạt kế hoạch", "signer_title": "GĐ"},
    ),
]
