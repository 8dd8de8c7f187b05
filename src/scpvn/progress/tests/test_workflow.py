"""Recording, evidence, review: every refusal says why and writes nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from scpvn.notifications.models import Notification
from scpvn.plans.models import Deliverable, Task
from scpvn.progress.models import Activity, Evidence
from scpvn.progress.tests.factories import PDF, PNG, form, office_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_officer_records_submits_reviewer_approves_and_history_shows_it(client, users, media):
    users["reviewer"].email = "lanhdao@example.vn"
    users["reviewer"].save()
    client.force_login(users["agency_officer"])
    upload = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    response = client.post(reverse("progress:activity_new"), form(files=[upload]))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.status == Activity.Status.DRAFT and activity.agency.code == "SCT"
    assert {e.kind for e in activity.evidence.all()} == {"png", ""}
    client.post(reverse("progress:activity_action", args=[activity.pk, "submit"]))
    activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED
    assert Notification.objects.filter(user=users["reviewer"]).count() == 1
    assert mail.outbox and mail.outbox[0].to == ["lanhdao@example.vn"]

    client.force_login(users["reviewer"])
    client.post(reverse("progress:activity_action", args=[activity.pk, "approve"]))
    activity.refresh_from_db()
    assert activity.status == Activity.Status.APPROVED and activity.approved_at
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Đã duyệt" in page and "Lịch sử thay đổi" in page
    assert page.count("<li>") >= 3  # created, submitted, approved rows of the history
    assert "officer" in page and "reviewer" in page


def test_reviewer_returns_with_comment_and_author_fixes(client, users, media):
    client.force_login(users["agency_officer"])
    client.post(reverse("progress:activity_new"), form())
    activity = Activity.objects.get()
    client.post(reverse("progress:activity_action", args=[activity.pk, "submit"]))
    client.force_login(users["reviewer"])
    client.post(reverse("progress:activity_action", args=[activity.pk, "return"]), {"comment": ""})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED  # a return needs its reason
    client.post(
        reverse("progress:activity_action", args=[activity.pk, "return"]),
        {"comment": "Thiếu đường dẫn bài viết thứ hai"},
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.RETURNED
    assert activity.review_comment == "Thiếu đường dẫn bài viết thứ hai"
    client.force_login(users["agency_officer"])
    assert "Thiếu đường dẫn" in client.get(activity.get_absolute_url()).content.decode()
    client.post(
        reverse("progress:activity_edit", args=[activity.pk]),
        form(version=activity.version, quantity="2"),
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DRAFT and activity.quantity == 2


def test_reviewer_cannot_submit_and_officer_cannot_approve(client, users, media):
    client.force_login(users["agency_officer"])
    client.post(reverse("progress:activity_new"), form())
    activity = Activity.objects.get()
    client.post(reverse("progress:activity_action", args=[activity.pk, "submit"]))
    client.post(reverse("progress:activity_action", args=[activity.pk, "approve"]))
    activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED


def snapshot() -> tuple:
    return (
        list(Activity.objects.values_list("pk", "version", "quantity", "status")),
        Evidence.objects.count(),
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"quantity": "-2"}, "quantity", "không được âm"),
        ({"quantity": "ba"}, "quantity", "phải là một số"),
        ({"quantity": "NaN"}, "quantity", "phải là một số"),
        ({"date": "2021-02-01"}, "date", "ngoài thời gian của kế hoạch"),
        ({"deliverable": "2.1"}, "deliverable", "không thuộc nhiệm vụ 1"),
        ({"links": "javascript:alert(1)"}, "links", "không phải đường dẫn"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_written(
    client, users, media, overrides, field, message
):
    client.force_login(users["agency_officer"])
    if overrides.get("deliverable"):
        overrides["deliverable"] = Deliverable.objects.get(code=overrides["deliverable"]).pk
    before = snapshot()
    response = client.post(reverse("progress:activity_new"), form(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert message in response.content.decode()
    assert snapshot() == before and not any(media.rglob("*.*"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ketqua.pdf", b"MZ\x90\x00 this is a windows executable", "không được chấp nhận"),
        ("anh.jpg", b"<svg onload=alert(1)>", "không được chấp nhận"),
        ("bang.docx", b"PK\x03\x04 broken zip", "không được chấp nhận"),
        ("nen.zip.docx", office_zip("evil/readme.txt"), "không được chấp nhận"),
        # the content decides the kind, and the name must say the same
        ("bao-cao.html", PDF, "không khớp với nội dung"),
        ("anh", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "không khớp với nội dung"),
    ],
)
def test_disallowed_file_types_are_refused_by_content(client, users, media, name, content, message):
    client.force_login(users["agency_officer"])
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(reverse("progress:activity_new"), form(files=[upload]))
    assert message in " ".join(response.context["form"].errors["files"])
    assert not Activity.objects.exists() and not any(media.rglob("*.*"))


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("bao-cao.pdf", PDF, "pdf"),
        ("anh.JPEG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
        ("anh.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", "webp"),
        ("bien-ban.docx", office_zip("word/document.xml"), "docx"),
        ("so-lieu.xlsx", office_zip("xl/workbook.xml"), "xlsx"),
        ("trinh-chieu.pptx", office_zip("ppt/presentation.xml"), "pptx"),
    ],
)
def test_allowed_types_are_recognised_by_content(client, users, media, name, content, kind):
    client.force_login(users["agency_officer"])
    upload = SimpleUploadedFile(name, content)
    client.post(reverse("progress:activity_new"), form(files=[upload], links=""))
    assert Evidence.objects.get().kind == kind


@override_settings(SCPVN_EVIDENCE_MAX_BYTES=1000)
def test_oversized_file_is_refused(client, users, media):
    client.force_login(users["agency_officer"])
    upload = SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000)
    response = client.post(reverse("progress:activity_new"), form(files=[upload]))
    assert "quá lớn" in " ".join(response.context["form"].errors["files"])
    assert not Activity.objects.exists() and not any(media.rglob("*.*"))


def test_date_outside_task_window_is_a_warning_not_a_refusal(client, users, media):
    client.force_login(users["agency_officer"])
    response = client.post(reverse("progress:activity_new"), form(date="2020-06-15"), follow=True)
    assert Activity.objects.get().date == dt.date(2020, 6, 15)
    assert "ngoài thời gian thực hiện nhiệm vụ" in response.content.decode()


def test_editing_an_approved_activity_is_refused(client, users, media):
    client.force_login(users["agency_officer"])
    client.post(reverse("progress:activity_new"), form())
    activity = Activity.objects.get()
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.APPROVED)
    before = snapshot()
    response = client.post(
        reverse("progress:activity_edit", args=[activity.pk]),
        form(quantity="30", version=activity.version),
        follow=True,
    )
    assert "đã được duyệt, không thể sửa" in response.content.decode()
    assert snapshot() == before


def test_stale_form_is_refused_as_a_conflict(client, users, media):
    client.force_login(users["agency_officer"])
    client.post(reverse("progress:activity_new"), form())
    activity = Activity.objects.get()
    stale = activity.version
    client.post(
        reverse("progress:activity_edit", args=[activity.pk]), form(version=stale, quantity="4")
    )
    before = snapshot()
    response = client.post(
        reverse("progress:activity_edit", args=[activity.pk]), form(version=stale, quantity="9")
    )
    assert "vừa được người khác sửa" in response.content.decode()
    assert snapshot() == before


def test_officer_cannot_record_for_a_task_their_agency_has_no_part_in(client, users, media):
    from scpvn.conftest import make_user
    from scpvn.orgs.models import Agency

    outsider = make_user("tnmt2", "agency_officer", Agency.objects.get(code="STNMT"))
    client.force_login(outsider)
    response = client.post(
        reverse("progress:activity_new"),
        form(
            task=Task.objects.get(number=2).pk, deliverable=Deliverable.objects.get(code="2.1").pk
        ),
    )
    assert "task" in response.context["form"].errors  # not among the choices offered
    assert not Activity.objects.exists()


def test_district_officer_records_for_their_district(client, users, media, mini_plan):
    from scpvn.orgs.models import Agency

    Task.objects.get(number=2).partners.add(Agency.objects.get(code="UBND-006"))
    client.force_login(users["district_officer"])
    client.post(
        reverse("progress:activity_new"),
        form(
            task=Task.objects.get(number=2).pk,
            deliverable=Deliverable.objects.get(code="2.1").pk,
            district="",
        ),
    )
    activity = Activity.objects.get()
    assert activity.district.code == "006" and activity.agency.code == "UBND-006"


def test_evidence_file_is_served_only_to_those_who_see_the_activity(client, users, media):
    client.force_login(users["agency_officer"])
    client.post(
        reverse("progress:activity_new"), form(files=[SimpleUploadedFile("bc.pdf", PDF)], links="")
    )
    url = reverse("progress:evidence", args=[Evidence.objects.get().pk])
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(users["district_officer"])
    assert client.get(url).status_code == 404


def test_module_activities_count_from_when_they_are_recorded(mini_plan):
    from scpvn.orgs.models import Agency
    from scpvn.progress.services import record_module_activity

    activity = record_module_activity(
        source=Agency.objects.get(code="STNMT"),
        deliverable=Deliverable.objects.get(code="2.1"),
        quantity=1,
        date=dt.date(2020, 8, 1),
        agency=Agency.objects.get(code="SCT"),
        title="Lớp tập huấn",
    )
    assert activity.approved_at is not None and not activity.editable


def test_district_officer_takes_part_where_the_plan_names_the_districts(users, mini_plan):
    from scpvn.orgs.models import Agency
    from scpvn.progress.reminders import officers_of
    from scpvn.progress.services import tasks_recordable_by

    officer = users["district_officer"]
    assert not tasks_recordable_by(officer).exists()
    districts = Agency.objects.create(code="UBNDQH", name="UBND các quận, huyện", kind="district")
    Task.objects.get(number=2).partners.add(districts)
    assert [t.number for t in tasks_recordable_by(officer)] == [2]
    assert officer in officers_of([districts])
    assert officer not in officers_of([Agency.objects.get(code="UBND-001")])
