from scpvn.core.tests.matrix import ADMIN, PUBLIC, SIGNED_IN, Rule

RULES = {
    # Visitors see the portal, staff the progress dashboard, enterprise users the plan.
    "home": Rule(get=PUBLIC),
    "login": Rule(get=PUBLIC),
    "logout": Rule(get=PUBLIC, skip="POST only: signing out is a state change"),
    "set_language": Rule(get=PUBLIC, skip="POST only"),
    "api-root": Rule(get=SIGNED_IN),
    "api-schema": Rule(get=PUBLIC),
    "api-docs": Rule(get=PUBLIC),
    "admin": Rule(get=ADMIN, skip="Django admin: is_staff gate tested in plans/tests/test_views"),
}
