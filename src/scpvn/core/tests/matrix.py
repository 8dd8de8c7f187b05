"""The declared permission matrix.

Every named URL of the project must have a `Rule` in some app's `tests/access_matrix.py`
(a dict `RULES` of URL name → Rule). `test_permission_matrix` visits each URL as every role
and checks the answer: a role in `get` must get through (status < 400 and no bounce to the
login page); any other role must be refused (login redirect, 401, 403 or 404).

Unsafe methods: a Rule with `post=ROLES` (and `data=` building the body) is also POSTed as
every role: a role in `post` must succeed; any other must be refused (401, 403, 404, 405 or
a login redirect) with no row written anywhere.

Object scoping: an app's access_matrix may also hold `SCOPES`, a list of `Scope`s: records
built in the shared world and, per role, which of them the role may see (through the app's
`…_visible_to(user)` service, its detail page, or its edit endpoint).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

ANONYMOUS = "anonymous"
ADMIN = frozenset({"city_admin"})
REVIEW = frozenset({"city_admin", "reviewer"})
# The commune officer works on a 2025 ward (Văn Miếu - Quốc Tử Giám); the shared world's
# records sit in the old district of Đống Đa without a ward, so it reaches the staff pages
# and none of the world's scoped records.
STAFF = frozenset(
    {"city_admin", "reviewer", "agency_officer", "district_officer", "commune_officer"}
)
SIGNED_IN = STAFF | {"enterprise_user"}
# Who reaches the shared world's records (in Đống Đa, on no ward): not the commune officer.
IN_WORLD = SIGNED_IN - {"commune_officer"}
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
    # Why a URL is not visited with GET (e.g. it streams, or needs a POST); still declared.
    skip: str = ""
    # Roles whose POST must succeed; None: POST is not checked. NOBODY: everyone is refused.
    post: frozenset[str] | None = None
    # The POST body (sent as JSON to /api/ URLs, as a form elsewhere).
    data: Callable[[SimpleNamespace], dict] = field(default=lambda world: {})


@dataclass(frozen=True)
class Scope:
    """Which records each role reaches. `records(world)` creates them by name; `sees` maps a
    role to the names it may reach (roles left out reach none). Each given way in is checked:
    `visible(user)` (the app's queryset service), `url(world, record)` (a page or API detail
    that must answer < 400 or be refused), `edit(world, record)` → (url, data) POSTed (or
    PATCHed for /api/) that must succeed or be refused with nothing written."""

    name: str
    records: Callable[[SimpleNamespace], Mapping[str, Any]]
    sees: Mapping[str, frozenset[str]]
    visible: Callable[[Any], Any] | None = None
    url: Callable[[SimpleNamespace, Any], str] | None = None
    edit: Callable[[SimpleNamespace, Any], tuple[str, dict]] | None = None


@dataclass(frozen=True)
class Write:
    """A state-changing POST (often POST-only, so `Rule` skips it) checked for role AND
    scope. `records(world)` creates, afresh for each role, the objects to act on by name
    (one inside a role's scope and one outside: "sct" and "stnmt", say); `may` maps a role to
    the names it may act on (roles left out act on none). `url(world, record)` and
    `data(world, record)` build the request (JSON to /api/, a form elsewhere); `done(record)`
    reads the record again and says whether the action took effect. An allowed role gets
    < 400 and the effect; any other gets neither the effect nor a new row, and an /api/ URL
    answers 4xx problem+json with a `code`."""

    name: str
    records: Callable[[SimpleNamespace], Mapping[str, Any]]
    may: Mapping[str, frozenset[str]]
    url: Callable[[SimpleNamespace, Any], str]
    done: Callable[[Any], bool]
    data: Callable[[SimpleNamespace, Any], dict] = field(default=lambda world, record: {})
