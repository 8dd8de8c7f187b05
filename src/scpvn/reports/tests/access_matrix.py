from scpvn.core.tests.matrix import STAFF, Rule


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
}
