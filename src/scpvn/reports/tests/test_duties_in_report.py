"""The report lists the work on the plan's duties that are not tasks (Agriculture's chains,
the liaison programme with the Ministry): each duty's agency writes its narrative, and the
approved activities of the period that name the duty are listed under it, on the page and
in the DOCX. Indicators carry their coverage and what they divide by."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from docx import Document

from scpvn.conftest import make_user
from scpvn.orgs.models import Agency
from scpvn.plans.models import Duty, Task
from scpvn.progress.models import Activity
from scpvn.reports import export_docx
from scpvn.reports.models import ReportSection
from scpvn.reports.services import document, open_report, save_duty_section, with_coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def liaison(mini_plan):
    return Duty.objects.create(
        plan=mini_plan,
        agency=Agency.objects.get(code="SCT"),
        order=5,
        text="Chương trình liên kết với Bộ Công Thương",
    )


def activity(duty: Duty, day: dt.date, title: str, status=Activity.Status.APPROVED) -> Activity:
    return Activity.objects.create(
        task=Task.objects.get(number=1),
        duty=duty,
        agency=duty.agency,
        date=day,
        quantity=1,
        title=title,
        status=status,
        approved_at=timezone.now() if status == Activity.Status.APPROVED else None,
    )


def test_duty_sections_and_activities_in_the_page_and_docx(client, users, mini_plan, liaison):
    report = open_report(mini_plan.reporting.get(code="6T"), "2020-H1")
    activity(liaison, dt.date(2020, 5, 4), "Hội nghị liên kết Hà Nội – các tỉnh")
    activity(liaison, dt.date(2020, 8, 4), "Hội chợ tháng 8")  # after the period
    activity(liaison, dt.date(2020, 5, 9), "Bản nháp", status=Activity.Status.DRAFT)

    client.force_login(users["agency_officer"])  # of SCT, the duty's agency
    url = reverse("reports:duty-section", args=[report.pk])
    client.post(url, {"duty": liaison.pk, "text": "Đã ký kết với 5 tỉnh."})
    section = ReportSection.objects.get(duty=liaison)
    assert (section.task, section.agency.code) == (None, "SCT")

    tnmt = make_user("tnmt", "agency_officer", Agency.objects.get(code="STNMT"))
    with pytest.raises(PermissionDenied):
        save_duty_section(tnmt, report, liaison, "Không phải nhiệm vụ của Sở")
    assert ReportSection.objects.filter(duty=liaison).count() == 1

    [work] = [d for d in document(report)["duties"] if d["text"] == liaison.text]
    assert work["sections"] == [{"agency": "Sở Công Thương", "text": "Đã ký kết với 5 tỉnh."}]
    assert [a["title"] for a in work["activities"]] == ["Hội nghị liên kết Hà Nội – các tỉnh"]
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Đã ký kết với 5 tỉnh." in page and "Hội chợ tháng 8" not in page

    text = "\n".join(
        p.text for p in Document(io.BytesIO(export_docx.render(document(report)))).paragraphs
    )
    assert "Sở Công Thương: Chương trình liên kết với Bộ Công Thương" in text
    assert "Đã ký kết với 5 tỉnh." in text
    assert "04/05/2020: Hội nghị liên kết Hà Nội – các tỉnh (Sở Công Thương)" in text
    assert "Hội chợ tháng 8" not in text and "Bản nháp" not in text

    client.post(url, {"duty": liaison.pk, "text": " "})  # an empty text withdraws it
    assert not ReportSection.objects.filter(duty=liaison).exists()


def test_indicator_rows_carry_their_coverage_and_what_they_divide_by():
    row = {"observed": 3, "population": 4, "divides_by": "registry"}
    assert with_coverage(row)["coverage_text"] == "3/4 (mẫu số: tổng số đối tượng trong sổ)"
    observed = {"observed": 3, "population": 4, "divides_by": "observed"}
    assert with_coverage(observed)["coverage_text"] == "3/4 (mẫu số: số đối tượng đã khảo sát)"
    assert with_coverage({"code": "5.1"})["coverage_text"] == "—"  # frozen before, or manual
