"""The progress API: scoped like the pages, the workflow through the services, and every
refusal a 4xx problem+json that writes nothing."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from scpvn.conftest import make_user
from scpvn.geo.models import District
from scpvn.notifications.models import Notification
from scpvn.notifications.services import notify
from scpvn.orgs.models import Agency
from scpvn.orgs.roles import Role
from scpvn.plans.models import Deliverable, Task
from scpvn.progress.models import Activity, Evidence
from scpvn.progress.tests.factories import PDF, form

pytestmark = pytest.mark.django_db
LIST = reverse("activity-list")


def detail(activity: Activity, step: str = "") -> str:
    return reverse(f"activity-{step or 'detail'}", args=[activity.pk])


def activity(agency: str, title: str, district: str | None = None, **fields) -> Activity:
    task = Task.objects.get(number=1)
    return Activity.objects.create(
        task=task,
        deliverable=task.deliverables.get(code="1.1"),
        agency=Agency.objects.get(code=agency),
        district=District.objects.get(code=district) if district else None,
        date=dt.date(2020, 8, 3),
        quantity=2,
        title=title,
        **fields,
    )


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    if field:
        assert body["errors"][field]
    return body


def written() -> tuple[int, int]:
    """What a refusal must leave untouched: the activities and their history."""
    return Activity.objects.count(), Activity.history.count()


def test_each_role_sees_exactly_what_its_pages_show(client, users):
    sct = activity("SCT", "Bài viết của Sở Công Thương")
    stnmt = activity("STNMT", "Tọa đàm ở Hai Bà Trưng", district="006")
    stnmt_officer = make_user("stnmt", Role.AGENCY_OFFICER, Agency.objects.get(code="STNMT"))
    expected = {
        "city_admin": {sct.pk, stnmt.pk},
        "reviewer": {sct.pk, stnmt.pk},
        "agency_officer": {sct.pk, stnmt.pk},  # SCT leads task 1: it follows its partners
        "district_officer": {stnmt.pk},
    }
    for role, ids in expected.items():
        client.force_login(users[role])
        api = {row["id"] for row in client.get(LIST).json()["results"]}
        page = {a.pk for a in client.get(reverse("progress:activities")).context["object_list"]}
        assert api == page == ids, role
    client.force_login(stnmt_officer)
    assert [row["id"] for row in client.get(LIST).json()["results"]] == [stnmt.pk]
    assert_problem(client.get(detail(sct)), 404)
    client.force_login(users["enterprise_user"])
    assert_problem(client.get(LIST), 403)
    client.logout()
    assert client.get(LIST).status_code in (401, 403)


def test_filters(client, users):
    sct = activity("SCT", "Trong kỳ")
    activity("STNMT", "Ở quận", district="006", status=Activity.Status.SUBMITTED)
    client.force_login(users["reviewer"])

    def ids(query: str) -> set[int]:
        return {row["id"] for row in client.get(f"{LIST}?{query}").json()["results"]}

    district = {a.pk for a in Activity.objects.filter(district__code="006")}
    assert ids("agency=SCT") == {sct.pk}
    assert ids("district=006") == district
    assert ids("status=submitted") == district
    assert ids("date_from=2020-08-01&date_to=2020-08-31") == {a.pk for a in Activity.objects.all()}
    assert ids("date_from=2020-09-01") == set()
    assert ids(f"deliverable={Deliverable.objects.get(code='1.2').pk}") == set()
    assert_problem(client.get(f"{LIST}?date_from=soon"), 400, "date_from")


def test_create_submit_approve(client, users):
    client.force_login(users["agency_officer"])
    created = client.post(LIST, form(), content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["agency"] == "SCT" and body["version"] == 1
    assert body["quantity"] == 3
    record = Activity.objects.get(pk=body["id"])
    assert record.created_by == users["agency_officer"]

    updated = client.put(
        detail(record),
        form(quantity="4", version=1),
        content_type="application/json",
    )
    assert updated.status_code == 200 and updated.json()["version"] == 2
    submitted = client.post(detail(record, "submit"))
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert Notification.objects.filter(user=users["reviewer"]).exists()
    assert_problem(client.post(detail(record, "approve")), 403)  # officers do not review

    client.force_login(users["reviewer"])
    assert_problem(client.post(LIST, form(), content_type="application/json"), 403)
    approved = client.post(
        detail(record, "approve"), {"comment": "Tốt"}, content_type="application/json"
    )
    assert approved.status_code == 200, approved.content
    record.refresh_from_db()
    assert record.status == Activity.Status.APPROVED and record.approved_at
    assert record.review_comment == "Tốt" and record.quantity == 4


def test_return_needs_a_reason_then_the_author_edits_again(client, users):
    record = activity("SCT", "Chờ duyệt", status=Activity.Status.SUBMITTED)
    client.force_login(users["reviewer"])
    assert_problem(client.post(detail(record, "return")), 400, "comment")
    record.refresh_from_db()
    assert record.status == Activity.Status.SUBMITTED
    returned = client.post(
        detail(record, "return"), {"comment": "Thiếu minh chứng"}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Thiếu minh chứng"
    # Approving what is no longer submitted is refused by the service: 400, not 500.
    assert_problem(client.post(detail(record, "approve")), 400)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "nhiều"}, "quantity"),
        ({"deliverable": "other-task"}, "deliverable"),
        ({"date": "2021-01-05"}, "date"),
        ({"title": ""}, "title"),
        ({"task": 999999}, "task"),
    ],
)
def test_bad_input_on_create_is_a_problem_and_writes_nothing(client, users, change, field):
    if change.get("deliverable") == "other-task":
        change = {"deliverable": Deliverable.objects.get(code="2.1").pk}
    client.force_login(users["agency_officer"])
    before = written()
    response = client.post(LIST, form(**change), content_type="application/json")
    assert_problem(response, 400, field)
    assert written() == before


@pytest.mark.parametrize(
    ("status", "change", "expected", "field"),
    [
        (Activity.Status.DRAFT, {"quantity": "-2", "version": 1}, 400, "quantity"),
        (Activity.Status.DRAFT, {"date": "2019-12-31", "version": 1}, 400, "date"),
        (Activity.Status.DRAFT, {"version": 0}, 409, None),  # someone saved in between
        (Activity.Status.DRAFT, {}, 400, "version"),
        (Activity.Status.APPROVED, {"version": 1}, 400, None),
        (Activity.Status.SUBMITTED, {"version": 1}, 403, None),
    ],
)
def test_bad_update_is_a_problem_and_writes_nothing(client, users, status, change, expected, field):
    record = activity("SCT", "Bản gốc", status=status, created_by=users["agency_officer"])
    client.force_login(users["agency_officer"])
    before = written()
    response = client.put(
        detail(record), form(title="Bản sửa", **change), content_type="application/json"
    )
    assert_problem(response, expected, field)
    assert written() == before
    record.refresh_from_db()
    assert record.title == "Bản gốc" and record.version == 1 and record.status == status


def test_evidence_lists_files_and_links_with_the_protected_download(
    client, users, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    record = activity("SCT", "Có minh chứng")
    stored = Evidence(activity=record, name="bai-viet.pdf", kind="pdf", size=len(PDF))
    stored.file.save("bai-viet.pdf", ContentFile(PDF))
    Evidence.objects.create(activity=record, url="https://hanoimoi.vn/a", name="Bài báo")
    client.force_login(users["agency_officer"])
    rows = client.get(detail(record, "evidence")).json()
    assert [(r["name"], r["kind"], r["url"]) for r in rows] == [
        ("bai-viet.pdf", "pdf", ""),
        ("Bài báo", "", "https://hanoimoi.vn/a"),
    ]
    assert rows[1]["download"] is None
    assert b"".join(client.get(rows[0]["download"]).streaming_content) == PDF
    client.force_login(make_user("stnmt", Role.AGENCY_OFFICER, Agency.objects.get(code="STNMT")))
    assert_problem(client.get(detail(record, "evidence")), 404)


def test_notifications_are_private_and_can_be_marked_read(client, users):
    notify(users["agency_officer"], "a", "Nhắc báo cáo")
    notify(users["agency_officer"], "b", "Hoạt động đã được duyệt")
    other = Notification.objects.create(user=users["reviewer"], key="c", message="Chờ duyệt")
    client.force_login(users["agency_officer"])
    rows = client.get(reverse("notification-list")).json()["results"]
    assert {r["message"] for r in rows} == {"Nhắc báo cáo", "Hoạt động đã được duyệt"}
    first = rows[0]["id"]
    read = client.post(reverse("notification-read", args=[first]))
    assert read.status_code == 200 and read.json()["read_at"]
    assert Notification.objects.filter(read_at__isnull=False).count() == 1
    assert_problem(client.post(reverse("notification-read", args=[other.pk])), 404)
    other.refresh_from_db()
    assert other.read_at is None


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(target))
    schema = target.read_text()
    assert "/api/progress/activities/{id}/return/:" in schema
    assert "/api/progress/:" in schema and "ProgressStatusEnum" in schema
    assert "/api/reports/{id}/:" in schema


def test_refusals_carry_a_stable_code(client, users):
    """API clients read `code`, not the Vietnamese prose: a refusal out of scope, a broken
    rule and a bad field each name what went wrong."""
    other = activity("STNMT", "Của Sở Tài nguyên và Môi trường")
    client.force_login(users["agency_officer"])
    before = written()
    denied = assert_problem(client.post(detail(other, "submit")), 403)
    assert denied["code"] == "progress.submit_denied"
    assert "không được gửi" in denied["detail"]
    outside = client.post(LIST, form(date="2021-01-05"), content_type="application/json")
    assert assert_problem(outside, 400, "date")["code"] == "progress.date_outside_plan"
    assert written() == before
    submitted = activity("SCT", "Chờ duyệt", status=Activity.Status.SUBMITTED)
    client.force_login(users["reviewer"])
    no_reason = assert_problem(client.post(detail(submitted, "return")), 400, "comment")
    assert no_reason["code"] == "progress.return_without_reason"
    not_submitted = assert_problem(client.post(detail(other, "approve")), 400)
    assert not_submitted["code"] == "review.wrong_state"
