"""Small helpers for progress tests: approved activities at a chosen approval time."""

import datetime as dt
import io
import zipfile

from django.utils import timezone

from scpvn.orgs.models import Agency
from scpvn.plans.models import Deliverable, Task
from scpvn.progress.models import Activity

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office_zip(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def approved(code: str, quantity, day: dt.date, approved_on: dt.date | None = None) -> Activity:
    deliverable = Deliverable.objects.select_related("task").get(code=code)
    moment = timezone.make_aware(dt.datetime.combine(approved_on or day, dt.time(16)))
    return Activity.objects.create(
        task=deliverable.task,
        deliverable=deliverable,
        agency=Agency.objects.get(code="SCT"),
        date=day,
        quantity=quantity,
        title=f"{code} {day}",
        status=Activity.Status.APPROVED,
        approved_at=moment,
    )


def form(**overrides) -> dict:
    """What an officer fills in to record an activity (page form or API body)."""
    data = {
        "task": Task.objects.get(number=1).pk,
        "deliverable": Deliverable.objects.get(code="1.1").pk,
        "date": "2020-08-03",
        "quantity": "3",
        "title": "Ba bài viết trên báo Kinh tế và Đô thị",
        "description": "Loạt bài về tiêu dùng xanh",
        "links": "https://kinhtedothi.vn/bai-viet-1",
    }
    data.update(overrides)
    return data
