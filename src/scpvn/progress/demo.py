"""A year of Plan 96 as it could have been recorded: activities for every task by the
departments and districts, with evidence, most approved, some still waiting, some returned,
and some tasks left behind — so the dashboard, the drill-down and both reports (2020-H1 and
2020) show something true. Idempotent: activities are keyed by task and title.

The activities are data (`data/demo-activities.yaml`); this module reads and checks them and
adds what is generated (dates of submission and review, evidence files and links)."""

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Literal

import yaml
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from faker import Faker
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scpvn.geo.services import district_index, find_district
from scpvn.orgs.models import Agency, User
from scpvn.plans.models import Deliverable, Plan
from scpvn.progress.models import Activity, Evidence

ORDER = 60
DATA = Path(__file__).resolve().parent / "data" / "demo-activities.yaml"
A, S, R, D = (
    Activity.Status.APPROVED,
    Activity.Status.SUBMITTED,
    Activity.Status.RETURNED,
    Activity.Status.DRAFT,
)


class DemoActivity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deliverable: str
    date: dt.date
    quantity: int = Field(ge=0)
    agency: str
    district: str = ""  # a name as geo finds it; empty for city-wide work
    title: str = Field(min_length=1)
    status: Literal["approved", "submitted", "returned", "draft"]
    comment: str = ""


class DemoData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    authors: dict[str, str]  # agency code → username of who records for it
    default_author: str
    reviewer: str
    outlets: list[str] = Field(min_length=1)
    activities: list[DemoActivity]


def read_demo(path: Path = DATA) -> DemoData:
    """The demo activities file, checked: a wrong key or value names the file and the entry
    (`…yaml: activities.3.status: …`) instead of failing halfway through a load."""
    try:
        return DemoData.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        raise ValueError(f"{path}: {where}") from None


def _pdf(title: str) -> bytes:
    """A one-page PDF standing in for the scanned minutes of the activity."""
    text = title.encode("ascii", "replace").decode()[:60]
    stream = f"BT /F1 14 Tf 60 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )


def _minutes(activity: Activity, name: str, author: User | None) -> None:
    """Attaches the activity's minutes, reusing the file a previous load stored."""
    path = f"evidence/demo/{name}"
    if not default_storage.exists(path):
        content = _pdf(name.removesuffix(".pdf"))
        default_storage.save(path, ContentFile(content))
    Evidence.objects.create(
        activity=activity,
        file=path,
        kind="pdf",
        size=default_storage.size(path),
        name=name,
        added_by=author,
    )


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    plan = Plan.objects.filter(code="96/KH-UBND").first()
    if plan is None:
        log("Hoạt động: chưa có Kế hoạch 96/KH-UBND, bỏ qua")
        return
    rng = random.Random(96)
    fake = Faker("vi_VN")
    fake.seed_instance(96)
    deliverables = {
        d.code: d for d in Deliverable.objects.filter(task__plan=plan).select_related("task")
    }
    agencies = {a.code: a for a in Agency.objects.all()}
    data = read_demo()
    usernames = [*data.authors.values(), data.default_author, data.reviewer]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    reviewer = users.get(data.reviewer)
    index = district_index()
    created = 0
    for record in data.activities:
        code, day, title, status = record.deliverable, record.date, record.title, record.status
        deliverable = deliverables[code]
        author = users.get(data.authors.get(record.agency, data.default_author))
        submitted = day + dt.timedelta(days=rng.randint(1, 4))
        reviewed = submitted + dt.timedelta(days=rng.randint(1, 6))
        defaults = {
            "deliverable": deliverable,
            "agency": agencies[record.agency],
            "district": find_district(record.district, index) if record.district else None,
            "date": day,
            "quantity": Decimal(record.quantity),
            "description": f"Người phụ trách: {fake.name()}. {deliverable.name[:120]}.",
            "status": status,
            "created_by": author,
            "submitted_by": author if status != D else None,
            "submitted_at": _moment(submitted, 9) if status != D else None,
            "reviewed_by": reviewer if status in (A, R) else None,
            "reviewed_at": _moment(reviewed, 15) if status in (A, R) else None,
            "approved_at": _moment(reviewed, 15) if status == A else None,
            "review_comment": record.comment,
        }
        activity, was_created = Activity.objects.update_or_create(
            task=deliverable.task, title=title, source_id=None, defaults=defaults
        )
        created += was_created
        if not activity.evidence.exists():
            Evidence.objects.create(
                activity=activity,
                url=f"https://{rng.choice(data.outlets)}/scp-2020/{activity.pk}",
                name=f"Bài đăng / tin: {title[:80]}",
                added_by=author,
            )
            if status != R:
                _minutes(activity, f"bien-ban-{code}-{day:%Y%m%d}.pdf", author)
    log(f"Hoạt động: {len(data.activities)} ({created} tạo mới), có minh chứng")
