from django.urls import reverse

from scpvn.core.tests.matrix import ADMIN, NOBODY, PUBLIC, SIGNED_IN, Rule, Scope

RULES = {
    # Visitors see the portal, staff the progress dashboard, enterprise users the plan.
    "home": Rule(get=PUBLIC),
    "health": Rule(get=PUBLIC),
    "ready": Rule(get=PUBLIC),
    "login": Rule(get=PUBLIC),
    "logout": Rule(get=PUBLIC, skip="POST only: signing out is a state change"),
    "set_language": Rule(
        get=PUBLIC, skip="POST only", post=PUBLIC, data=lambda w: {"language": "en"}
    ),
    "api-root": Rule(get=SIGNED_IN, post=NOBODY),
    "tokens": Rule(get=SIGNED_IN),
    "token-list": Rule(get=SIGNED_IN),
    "token-detail": Rule(
        get=SIGNED_IN,
        kwargs=lambda w: {"pk": "00000000"},
        skip="DELETE only: revoking is tested in core/tests/test_tokens",
    ),
    "api-schema": Rule(get=PUBLIC),
    "api-docs": Rule(get=PUBLIC),
    "admin": Rule(get=ADMIN, skip="Django admin: is_staff gate tested in plans/tests/test_views"),
}


def enterprises(w):
    from scpvn.geo.models import District
    from scpvn.registry.models import Enterprise

    elsewhere, _ = Enterprise.objects.get_or_create(
        tax_code="0101248141",
        defaults={
            "name": "Công ty CP Ba Đình",
            "district": District.objects.get(code="001"),
            "vsic_code": "1010",
        },
    )
    return {"own": w.enterprise, "elsewhere": elsewhere}


def enterprises_visible_to(user):
    from scpvn.registry.services import enterprises_visible_to

    return enterprises_visible_to(user)


def activities(w):
    """One activity per scope: Sở Công Thương's own (on a task it leads); Sở TN&MT's in Đống
    Đa and in Ba Đình, on a task Sở TN&MT leads (so the SCT officer is not its lead)."""
    import datetime as dt

    from scpvn.orgs.models import Agency
    from scpvn.progress.models import Activity

    sct, stnmt = Agency.objects.get(code="SCT"), Agency.objects.get(code="STNMT")
    task1, task2 = w.plan.tasks.get(number=1), w.plan.tasks.get(number=2)
    task2.lead = stnmt
    task2.save()

    def make(title, agency, task, district):
        return Activity.objects.create(
            task=task,
            deliverable=task.deliverables.first(),
            agency=agency,
            district_id=district,
            date=dt.date(2020, 8, 1),
            quantity=1,
            title=title,
        )

    return {
        "sct": make("Bài viết SCT", sct, task1, None),
        "dongda": make("Tập huấn Đống Đa", stnmt, task2, "006"),
        "badinh": make("Tập huấn Ba Đình", stnmt, task2, "001"),
    }


def activities_visible_to(user):
    from scpvn.progress.services import activities_visible_to

    return activities_visible_to(user)


# Object scoping of the shared anchors (each app may add SCOPES for its own models in its
# tests/access_matrix.py): a district officer reaches their district's records, an agency
# officer their agency's, an enterprise user only its own enterprise.
SCOPES = [
    Scope(
        name="registry.Enterprise",
        records=enterprises,
        sees={
            "city_admin": frozenset({"own", "elsewhere"}),
            "reviewer": frozenset({"own", "elsewhere"}),
            "agency_officer": frozenset({"own", "elsewhere"}),
            "district_officer": frozenset({"own"}),
            "enterprise_user": frozenset({"own"}),
        },
        visible=enterprises_visible_to,
        url=lambda w, e: reverse("registry:enterprise_detail", kwargs={"pk": e.pk}),
    ),
    Scope(
        name="registry.Enterprise (API)",
        records=enterprises,
        sees={
            "city_admin": frozenset({"own", "elsewhere"}),
            "reviewer": frozenset({"own", "elsewhere"}),
            "agency_officer": frozenset({"own", "elsewhere"}),
            "district_officer": frozenset({"own"}),
            "enterprise_user": frozenset({"own"}),
        },
        url=lambda w, e: reverse("enterprise-detail", kwargs={"pk": e.pk}),
    ),
    Scope(
        name="progress.Activity",
        records=activities,
        sees={
            "city_admin": frozenset({"sct", "dongda", "badinh"}),
            "reviewer": frozenset({"sct", "dongda", "badinh"}),
            "agency_officer": frozenset({"sct"}),
            "district_officer": frozenset({"dongda"}),
        },
        visible=activities_visible_to,
        url=lambda w, a: reverse("progress:activity", kwargs={"pk": a.pk}),
    ),
]
