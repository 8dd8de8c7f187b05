"""The declared permission matrix.

Every named URL of the project must have a `Rule` in some app's `tests/access_matrix.py`
(a dict `RULES` of URL name → Rule). `test_permission_matrix` visits each URL as every role
and checks the answer: a role in `get` must get through (status < 400 and no bounce to the
login page); any other role must be refused (login redirect, 401, 403 or 404).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

ANONYMOUS = "anonymous"
ADMIN = frozenset({"city_admin"})
REVIEW = frozenset({"city_admin", "reviewer"})
STAFF = frozenset({"city_admin", "reviewer", "agency_officer", "district_officer"})
SIGNED_IN = STAFF | {"enterprise_user"}
PUBLIC = SIGNED_IN | {ANONYMOUS}
NOBODY: frozenset[str] = frozenset()
ROLES = sorted(PUBLIC)


@dataclass(frozen=True)
class Rule:
    get: frozenset[str]
    # Builds the URL's kwargs from the shared world (plan, users…), creating objects if needed.
    kwargs: Callable[[SimpleNamespace], dict] = field(default=lambda world: {})
    # Query string appended to the URL (some pages need a parameter to render).
    query: str = ""
    # Why a URL is not visited (e.g. it streams, or needs a POST); still must be declared.
    skip: str = ""
