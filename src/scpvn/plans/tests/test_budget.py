"""The plan's budget: allocations by task, source and decision come from the plan file;
the agency that spends records commitments and spending with their documents; nobody
records for another agency's allocation; spending above the allocation needs a reason;
allocation, spending and progress stand side by side on the dashboard, in the report and
in the API, with history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from scpvn.conftest import make_user
from scpvn.orgs.models import Agency
from scpvn.plans.budget import BudgetError, budget_lines, record_budget_entry
from scpvn.plans.models import BudgetAllocation, BudgetEntry
from scpvn.plans.schema import PlanDocument
from scpvn.plans.services import export_plan, load_plan
from scpvn.progress.tests.factories import approved
from scpvn.reports.services import compute_figures, open_report

pytestmark = pytest.mark.django_db
DECISION = "6999/QĐ-UBND"


@pytest.fixture
def allocation(mini_plan_data, users):
    """The mini plan loaded again with one budget line in its file."""
    mini_plan_data["budget"] = [
        {"task": 1, "agency": "SCT", "source": "city", "decision": DECISION, "amount": 150_000_000}
    ]
    load_plan(PlanDocument.model_validate(mini_plan_data))
    return BudgetAllocation.objects.get(decision=DECISION)


def test_spending_by_the_agency_that_spends_within_its_allocation(users, allocation):
    officer = users["agency_officer"]  # Sở Công Thương
    record_budget_entry(
        officer,
        allocation,
        kind="commitment",
        amount="120.000.000",
        date=dt.date(2020, 6, 1),
        document="HĐ 12/2020/HĐ-SCT",
    )
    record_budget_entry(
        officer,
        allocation,
        kind="spending",
        amount=100_000_000,
        date=dt.date(2020, 7, 1),
        document="UNC 45 ngày 01/07/2020",
    )
    tnmt = make_user("tnmt", "agency_officer", Agency.objects.get(code="STNMT"))
    with pytest.raises(PermissionDenied):
        record_budget_entry(
            tnmt, allocation, kind="spending", amount=1, date=dt.date(2020, 7, 2), document="x"
        )
    with pytest.raises(ValidationError) as refused:
        record_budget_entry(
            officer,
            allocation,
            kind="spending",
            amount=60_000_000,
            date=dt.date(2020, 8, 1),
            document="UNC 50",
        )
    assert refused.value.code == BudgetError.OVER_ALLOCATION
    assert BudgetEntry.objects.count() == 2  # nothing written
    record_budget_entry(
        officer,
        allocation,
        kind="spending",
        amount=60_000_000,
        date=dt.date(2020, 8, 1),
        document="UNC 50",
        reason="Bổ sung theo Quyết định 1234/QĐ-UBND",
    )
    [line] = budget_lines(allocation.plan)
    assert (line.committed, line.spent) == (Decimal(120_000_000), Decimal(160_000_000))
    assert line.spent_share == 107
    assert BudgetEntry.history.count() == 3 and allocation.history.exists()


def test_budget_beside_progress_on_dashboard_report_and_api(client, users, allocation, mini_plan):
    approved("1.1", 4, dt.date(2020, 6, 10))
    record_budget_entry(
        users["agency_officer"],
        allocation,
        kind="spending",
        amount=50_000_000,
        date=dt.date(2020, 6, 15),
        document="UNC 30",
    )
    client.force_login(users["reviewer"])
    page = client.get(reverse("progress:dashboard"), {"plan": mini_plan.slug})
    [(line, percent)] = page.context["budget"]
    assert line.spent == 50_000_000 and percent == page.context["progress"].tasks[0].percent
    assert f'data-budget="{allocation.pk}"' in page.content.decode()
    report = open_report(mini_plan.reporting.get(code="6T"), "2020-H1")
    [row] = compute_figures(report)["budget"]
    assert (row["task"], row["decision"], row["allocated"], row["spent"]) == (
        1,
        DECISION,
        "150000000",
        "50000000",
    )
    assert "Kinh phí thực hiện" in client.get(report.get_absolute_url()).content.decode()
    [answer] = client.get(reverse("budget-list"), {"plan": mini_plan.slug}).json()
    assert (answer["source"], answer["allocated"], answer["spent"]) == (
        "city",
        150_000_000,
        50_000_000,
    )
    refused = client.post(
        reverse("budget-entries", args=[allocation.pk]),
        {"kind": "spending", "amount": "1", "date": "2020-07-01", "document": "UNC"},
        content_type="application/json",
    )
    assert refused.status_code == 403  # a reviewer does not spend
    assert export_plan(mini_plan)["budget"][0]["decision"] == DECISION


def test_budget_page_records_with_its_document_and_history(client, users, allocation):
    url = reverse("plans:budget", args=[allocation.pk])
    entry = {"kind": "spending", "amount": "100.000.000", "date": "2020-07-01"}
    client.force_login(users["agency_officer"])  # Sở Công Thương spends this allocation
    no_document = client.post(url, {**entry, "document": " "})
    assert no_document.status_code == 200 and not BudgetEntry.objects.exists()
    assert "document" in no_document.context["form"].errors
    done = client.post(url, {**entry, "document": "UNC 45 ngày 01/07/2020"}, follow=True)
    assert done.status_code == 200 and BudgetEntry.objects.get().amount == 100_000_000
    over = client.post(url, {**entry, "document": "UNC 46"})
    assert over.status_code == 200 and BudgetEntry.objects.count() == 1
    assert over.context["form"].errors["reason"][0].startswith("Chi 100.000.000 đồng vượt")
    client.post(url, {**entry, "document": "UNC 46", "reason": "Bổ sung dự toán 1234/QĐ-UBND"})
    assert BudgetEntry.objects.count() == 2
    page = client.get(url).content.decode()
    assert "200.000.000 đ (133%)" in page and "Bổ sung dự toán 1234/QĐ-UBND" in page
    assert page.count("UNC 4") >= 4  # the entries and their history lines

    tnmt = make_user("tnmt", "agency_officer", Agency.objects.get(code="STNMT"))
    client.force_login(tnmt)
    refused = client.post(url, {**entry, "document": "UNC 99", "reason": "x"})
    assert refused.status_code == 403 and BudgetEntry.objects.count() == 2


def test_report_documents_carry_the_budget_lines(users, allocation, mini_plan):
    import io

    from docx import Document
    from openpyxl import load_workbook

    from scpvn.reports import export_docx, export_xlsx
    from scpvn.reports.services import document

    record_budget_entry(
        users["agency_officer"],
        allocation,
        kind="commitment",
        amount=120_000_000,
        date=dt.date(2020, 5, 15),
        document="HĐ 12/2020",
    )
    record_budget_entry(
        users["agency_officer"],
        allocation,
        kind="spending",
        amount=50_000_000,
        date=dt.date(2020, 6, 15),
        document="UNC 30",
    )
    report = open_report(mini_plan.reporting.get(code="6T"), "2020-H1")
    doc = document(report)
    word = Document(io.BytesIO(export_docx.render(doc)))
    [table] = [t for t in word.tables if t.rows[0].cells[0].text == "NV"]
    assert [c.text for c in table.rows[1].cells][:6] == [
        "NV1",
        f"Ngân sách Thành phố; {DECISION}",
        "Sở Công Thương",
        "150.000.000",
        "120.000.000",
        "50.000.000",
    ]
    sheet = load_workbook(io.BytesIO(export_xlsx.render(doc)))["Kinh phí"]
    assert [c.value for c in sheet[2]][:7] == [
        1,
        "Ngân sách Thành phố",
        DECISION,
        "Sở Công Thương",
        150_000_000,
        120_000_000,
        50_000_000,
    ]
