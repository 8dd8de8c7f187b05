"""Events: registration, the sign-in sheet import, held events counted, feedback."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from scpvn.core.tests.bombs import zip_bomb
from scpvn.outreach.models import Event, Feedback, Registration
from scpvn.outreach.services import events
from scpvn.progress.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(sct, mini_plan):
    return Event.objects.create(
        kind="training",
        title="Tập huấn SXSH",
        date=dt.date(2020, 9, 9),
        venue="Sở",
        capacity=3,
        agency=sct,
        deliverable=mini_plan.tasks.get(number=2).deliverables.get(),
    )


def sheet(rows, header=("STT", "Họ và tên", "Đơn vị", "Email", "Điện thoại")) -> io.BytesIO:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_registration_refuses_duplicates_and_overbooking(training, actor):
    events.register(actor, training, full_name="An", email="an@x.vn")
    with pytest.raises(ValidationError, match="đã đăng ký"):
        events.register(actor, training, full_name="An", email="AN@x.vn")
    events.register(actor, training, full_name="Bình", email="binh@x.vn")
    events.register(actor, training, full_name="Chi", email="chi@x.vn")
    with pytest.raises(ValidationError, match="đủ 3 chỗ"):
        events.register(actor, training, full_name="Dũng", email="dung@x.vn")
    assert training.registrations.count() == 3


def test_sign_in_sheet_marks_attendance_and_adds_walk_ins(training, actor):
    events.register(actor, training, full_name="An", email="an@x.vn")
    result = events.import_sign_in_sheet(
        actor,
        training,
        sheet([(1, "An", "Cty A", "an@x.vn", ""), (2, "Bình", "Cty B", "binh@x.vn", "0912")]),
    )
    assert (result.marked, result.added) == (1, 1)
    assert set(training.registrations.filter(attended=True).values_list("email", flat=True)) == {
        "an@x.vn",
        "binh@x.vn",
    }


def test_bad_sign_in_sheet_names_rows_and_columns_and_writes_nothing(training, actor):
    events.register(actor, training, full_name="An", email="an@x.vn")
    bad = sheet(
        [
            (1, "An", "", "an@x.vn", ""),
            (2, "", "", "not-an-email", ""),
            (3, "Chi", "", "an@x.vn", ""),
        ]
    )
    with pytest.raises(ValidationError) as error:
        events.import_sign_in_sheet(actor, training, bad)
    messages = error.value.messages
    assert "dòng 3, cột B: thiếu họ tên" in messages
    assert "dòng 3, cột D: email không hợp lệ “not-an-email”" in messages
    assert "dòng 4, cột D: email trùng với dòng trên" in messages
    assert (
        not Registration.objects.filter(attended=True).exists()
        and Registration.objects.count() == 1
    )
    with pytest.raises(ValidationError, match="Thiếu cột"):
        events.import_sign_in_sheet(actor, training, sheet([("An",)], header=("Tên",)))
    with pytest.raises(ValidationError, match=r"(?i)xlsx"):
        events.import_sign_in_sheet(actor, training, io.BytesIO(b"not a spreadsheet"))


def test_held_event_counts_once_and_feedback_only_after(training, actor):
    with pytest.raises(ValidationError, match="sau khi"):
        events.give_feedback(actor, training, rating=5)
    events.mark_held(actor, training)
    events.mark_held(actor, training)
    activity = Activity.objects.get()
    assert (
        activity.quantity == 1 and activity.status == "approved" and activity.date == training.date
    )
    with pytest.raises(ValidationError, match="1 đến 5"):
        events.give_feedback(actor, training, rating=6)
    events.give_feedback(actor, training, rating=4)
    assert Feedback.objects.count() == 1
    events.cancel_event(actor, training)
    assert not Activity.objects.exists()


def test_page_import_reports_errors(client, users, training):
    client.force_login(users["agency_officer"])
    url = reverse("network:event-action", args=[training.pk])
    upload = SimpleUploadedFile("diem-danh.xlsx", sheet([(1, "", "", "x@", "")]).read())
    page = client.post(url, {"action": "signin", "sheet": upload}, follow=True).content.decode()
    assert "dòng 2, cột B: thiếu họ tên" in page
    assert not Registration.objects.exists()


def test_sign_in_sheet_zip_bomb_and_row_limit_are_refused(training, actor, settings):
    settings.SCPVN_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = SimpleUploadedFile(
        "diem-danh.xlsx",
        zip_bomb(sheet([(1, "An", "", "an@example.vn", "")]).read(), 4 * 1024 * 1024),
    )
    with pytest.raises(ValidationError, match="giải nén ra quá"):
        events.import_sign_in_sheet(actor, training, bomb)
    settings.SCPVN_IMPORT_MAX_ROWS = 1
    rows = [(1, "An", "", "an@example.vn", ""), (2, "Bình", "", "binh@example.vn", "")]
    with pytest.raises(ValidationError, match="quá 1 dòng"):
        events.import_sign_in_sheet(actor, training, sheet(rows))
    assert not Registration.objects.exists()


def test_the_events_list_and_its_api_keep_the_newest_first(training, actor, client):
    """Django leaves the model's ordering out of a query with GROUP BY: with its counts of
    registrations the events list came in whatever order the database grouped it."""
    made = {}
    for day in (dt.date(2020, 10, 1), dt.date(2020, 1, 1)):
        made[day] = Event.objects.create(
            kind="workshop", title="Hội thảo", date=day, venue="Sở",
            agency=training.agency, deliverable=training.deliverable,
        )  # fmt: skip
    newest_first = [made[dt.date(2020, 10, 1)].pk, training.pk, made[dt.date(2020, 1, 1)].pk]
    client.force_login(actor)
    page = client.get(reverse("network:events")).context["object_list"]
    api = client.get(reverse("network-event-list")).json()["results"]
    assert [event.pk for event in page] == newest_first
    assert [row["id"] for row in api] == newest_first
