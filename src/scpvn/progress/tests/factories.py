"""Small helpers for progress tests: approved activities at a chosen approval time."""

import datetime as dt
import io
import zipfile

from django.utils import timezone

from scpvn.orgs.models import Agency
from scpvn.plans.models import Deliverable
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
