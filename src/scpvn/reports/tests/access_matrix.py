from scpvn.core.tests.matrix import REVIEW, STAFF, Rule


def report(w):
    from scpvn.reports.services import open_report

    return open_report(w.plan.reporting.get(code="6T"), "2020-H1")


RULES = {
    "reports:list": Rule(get=STAFF),
    "reports:open": Rule(get=STAFF, skip="POST only: tested in reports/tests/test_reports.py"),
    "reports:detail": Rule(get=STAFF, kwargs=lambda w: {"pk": report(w).pk}),
    "reports:section": Rule(get=STAFF, kwargs=lambda w: {"pk": report(w).pk}, skip="POST only"),
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
}
