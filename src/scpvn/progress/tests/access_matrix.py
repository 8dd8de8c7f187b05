import datetime as dt

from django.core.files.base import ContentFile
from django.urls import reverse

from scpvn.core.tests.matrix import STAFF, Rule, Write

RECORDERS = frozenset({"city_admin", "agency_officer", "district_officer", "commune_officer"})
# An activity of Sở Công Thương (the world's agency officer's agency): district officers of
# another district do not see it.
SEES_SCT = frozenset({"city_admin", "reviewer", "agency_officer"})


def sct_activity(w):
    from scpvn.orgs.models import Agency
    from scpvn.progress.models import Activity

    task = w.plan.tasks.get(number=1)
    activity, _ = Activity.objects.get_or_create(
        task=task,
        title="Bài viết trên báo Hà Nội Mới",
        defaults={
            "deliverable": task.deliverables.get(code="1.1"),
            "agency": Agency.objects.get(code="SCT"),
            "date": dt.date(2020, 8, 3),
            "quantity": 2,
        },
    )
    return activity


def evidence(w):
    from scpvn.progress.models import Evidence

    activity = sct_activity(w)
    item = activity.evidence.first() or Evidence(activity=activity, name="bai-viet.pdf", kind="pdf")
    if not item.pk:
        item.file.save("bai-viet.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return item


POST_ONLY = "POST only: tested in progress/tests/test_api.py"
RULES = {
    "progress:dashboard": Rule(get=STAFF),
    "progress:my_tasks": Rule(get=STAFF),
    "progress:activities": Rule(get=STAFF),
    "progress:activity_new": Rule(get=RECORDERS),
    "progress:activity": Rule(get=SEES_SCT, kwargs=lambda w: {"pk": sct_activity(w).pk}),
    "progress:activity_edit": Rule(
        get=frozenset({"city_admin", "agency_officer"}), kwargs=lambda w: {"pk": sct_activity(w).pk}
    ),
    "progress:activity_action": Rule(
        get=SEES_SCT,
        kwargs=lambda w: {"pk": sct_activity(w).pk, "action": "submit"},
        skip="POST only: tested in progress/tests/test_workflow.py",
    ),
    "progress:overlaps": Rule(get=frozenset({"city_admin", "reviewer"})),
    "progress:evidence": Rule(get=SEES_SCT, kwargs=lambda w: {"pk": evidence(w).pk}),
    "plan-progress-list": Rule(get=STAFF),
    "activity-list": Rule(get=STAFF),
    "activity-detail": Rule(get=SEES_SCT, kwargs=lambda w: {"pk": sct_activity(w).pk}),
    "activity-evidence": Rule(get=SEES_SCT, kwargs=lambda w: {"pk": sct_activity(w).pk}),
    "activity-submit": Rule(
        get=SEES_SCT, kwargs=lambda w: {"pk": sct_activity(w).pk}, skip=POST_ONLY
    ),
    "activity-approve": Rule(
        get=SEES_SCT, kwargs=lambda w: {"pk": sct_activity(w).pk}, skip=POST_ONLY
    ),
    "activity-return": Rule(
        get=SEES_SCT, kwargs=lambda w: {"pk": sct_activity(w).pk}, skip=POST_ONLY
    ),
}


def activities_in(status: str):
    """A fresh activity of Sở Công Thương (the world's agency officer's agency) and one of
    Sở TN&MT (its partner on task 1), both in `status`."""

    def build(w) -> dict:
        from scpvn.orgs.models import Agency
        from scpvn.progress.models import Activity

        task = w.plan.tasks.get(number=1)
        return {
            code.lower(): Activity.objects.create(
                task=task,
                deliverable=task.deliverables.get(code="1.1"),
                agency=Agency.objects.get(code=code),
                title=f"Bài viết của {code}",
                date=dt.date(2020, 8, 3),
                quantity=1,
                status=status,
            )
            for code in ("SCT", "STNMT")
        }

    return build


def in_status(status: str):
    return lambda activity: activity.status == status


# The author's agency submits (a city administrator any); reviewers approve and return any.
SUBMITS = {"city_admin": frozenset({"sct", "stnmt"}), "agency_officer": frozenset({"sct"})}
REVIEWS = {"city_admin": frozenset({"sct", "stnmt"}), "reviewer": frozenset({"sct", "stnmt"})}
REASON = {"comment": "Thiếu minh chứng"}


def page(action: str):
    return lambda w, a: reverse("progress:activity_action", kwargs={"pk": a.pk, "action": action})


def api(action: str):
    return lambda w, a: reverse(f"activity-{action}", kwargs={"pk": a.pk})


WRITES = [
    Write("page submit", activities_in("draft"), SUBMITS, page("submit"), in_status("submitted")),
    Write("api submit", activities_in("draft"), SUBMITS, api("submit"), in_status("submitted")),
    Write(
        "page approve", activities_in("submitted"), REVIEWS, page("approve"), in_status("approved")
    ),
    Write(
        "api approve", activities_in("submitted"), REVIEWS, api("approve"), in_status("approved")
    ),
    Write(
        "page return",
        activities_in("submitted"),
        REVIEWS,
        page("return"),
        in_status("returned"),
        data=lambda w, a: REASON,
    ),
    Write(
        "api return",
        activities_in("submitted"),
        REVIEWS,
        api("return"),
        in_status("returned"),
        data=lambda w, a: REASON,
    ),
]
