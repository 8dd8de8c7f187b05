from scpvn.core.tests.matrix import ADMIN, NOBODY, PUBLIC, SIGNED_IN, Rule, Scope

RULES = {
    # Visitors see the portal, staff the progress dashboard, enterprise users the plan.
    "home": Rule(get=PUBLIC),
    "health": Rule(get=PUBLIC),
    "login": Rule(get=PUBLIC),
    "logout": Rule(get=PUBLIC, skip="POST only: signing out is a state change"),
    "set_language": Rule(
        get=PUBLIC, skip="POST only", post=PUBLIC, data=lambda w: {"language": "en"}
    ),
    "api-root": Rule(get=SIGNED_IN, post=NOBODY),
    "api-schema": Rule(get=PUBLIC),
    "api-docs": Rule(get=PUBLIC),
    "admin": Rule(get=ADMIN, skip="Django admin: is_staff gate tested in plans/tests/test_views"),
}


def enterprises(w):
    from scpvn.geo.models import District
    from scpvn.registry.models import Enterprise

    elsewhere = Enterprise.objects.create(
        tax_code="0101248141",
        name="Công ty CP Ba Đình",
        district=District.objects.get(code="001"),
        vsic_code="1010",
    )
    return {"own": w.enterprise, "elsewhere": elsewhere}


def enterprises_visible_to(user):
    from scpvn.registry.services import enterprises_visible_to

    return enterprises_visible_to(user)


# Object scoping for the shared anchors; each app adds SCOPES for its own models in its
# tests/access_matrix.py (a district officer sees their district's records, an agency
# officer their agency's, an enterprise user its own enterprise's).
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
    ),
]
