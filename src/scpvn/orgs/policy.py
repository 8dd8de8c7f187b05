"""The one place that answers "may this user do this to this object".

Pages, the API, the CLI and background jobs all ask here, through the app services, so an
officer refused on a page is refused by the API too. In the spirit of NetBox's
`RestrictedQuerySet.restrict(user, action)`: a rule is registered per (model, action) and
says which roles may act and, for those roles, which rows (a `Q` over the model).

`orgs` imports no app above it: each app declares the rules of its own models in a
`<app>/scopes.py` module (calls to `register`), found the first time a rule is asked for.

No actor (`None`) and an anonymous visitor hold no role: they reach nothing and may do
nothing. Code acting for the programme itself (migrations, demo loaders) writes through
the models, or names the user it acts for.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from scpvn.core.errors import Denied
from scpvn.core.qmatch import matches
from scpvn.orgs.access import user_has_role

VIEW = "view"
CHANGE = "change"
#: Number and sign an official document (rules in reports/scopes.py).
ISSUE = "issue"

#: Matches every row: the scope of a role that is not narrowed.
EVERYTHING = Q()
#: Matches no row.
NOTHING = Q(pk__in=[])

ScopeRule = Callable[[Any], Q]


@dataclass(frozen=True)
class Rule:
    """Who may do `action` to rows of `model`: a user holding one of `roles`, on the rows
    `scope(user)` selects (the whole table when `scope` is None)."""

    model: type[Model]
    action: str
    roles: frozenset[str]
    scope: ScopeRule | None = None

    def q(self, user) -> Q:
        if not user_has_role(user, self.roles):
            return NOTHING
        return EVERYTHING if self.scope is None else self.scope(user)


_RULES: dict[tuple[str, str], Rule] = {}
_discovered = False


def register(
    model: type[Model], action: str, *, roles: frozenset[str], scope: ScopeRule | None = None
) -> Rule:
    """Declare who may do `action` to `model`. Called from the owning app's `scopes.py`;
    declaring the same (model, action) twice is an error, so a rule lives in one place."""
    key = (model._meta.label, action)
    if key in _RULES:
        raise ValueError(f"policy rule declared twice: {key}")
    rule = Rule(model=model, action=action, roles=frozenset(roles), scope=scope)
    _RULES[key] = rule
    return rule


def rule_for(model: type[Model], action: str) -> Rule:
    """The registered rule; a model or action nobody declared is a programming error."""
    _discover()
    try:
        return _RULES[(model._meta.label, action)]
    except KeyError:
        raise LookupError(
            f"no policy rule for {model._meta.label} {action!r}: declare it in its app's scopes.py"
        ) from None


def scope_q(user, model: type[Model], action: str = VIEW) -> Q:
    """The rows of `model` the user may `action`, as a Q (for joins: `Q(enterprise__in=…)`
    needs a queryset; this gives the condition itself)."""
    return rule_for(model, action).q(user)


def restrict(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """`queryset` narrowed to the rows the user may `action`; empty for a user without the
    rule's roles. Scopes may follow many-to-many links (an enterprise's members), so the
    rows are chosen by primary key: no duplicates, and the caller may still order,
    aggregate, update or delete."""
    q = scope_q(user, queryset.model, action)
    if q == NOTHING:
        return queryset.none()
    if q == EVERYTHING:
        return queryset
    return queryset.filter(pk__in=queryset.model._base_manager.filter(q).values("pk"))


def allows(user, action: str, obj: Model, *, as_read: bool = False) -> bool:
    """May the user do `action` to this saved object? The stored row decides, so an edit
    made in memory cannot move an object into the user's scope. A caller holding the object
    exactly as it just read it (`as_read`) lets a scope over the object's own columns be
    decided from its attributes, without the query (`core.qmatch`)."""
    rule = rule_for(type(obj), action)
    q = rule.q(user)
    if q == NOTHING:
        return False
    if q == EVERYTHING:
        return True
    if as_read and (decided := matches(q, obj)) is not None:
        return decided
    return type(obj)._base_manager.filter(pk=obj.pk).filter(q).exists()


def check(
    user, action: str, obj: Model, message: str = "", code: str = "", *, as_read: bool = False
) -> None:
    """Raise `Denied` (403, with a stable code) unless the user may do `action` to `obj`
    (`as_read`: see `allows`). The code defaults to `<app>.<action>_denied`, e.g.
    `registry.change_denied`."""
    if not allows(user, action, obj, as_read=as_read):
        raise Denied(
            message or "Bạn không có quyền thực hiện thao tác này (permission denied).",
            code=code or f"{obj._meta.app_label}.{action}_denied",
        )


def check_role(user, roles: frozenset[str], message: str = "", code: str = "") -> None:
    """Raise `Denied` unless the user holds one of `roles` (for actions on no object yet,
    such as starting an import)."""
    if not user_has_role(user, roles):
        raise Denied(
            message or "Bạn không có quyền thực hiện thao tác này (permission denied).",
            code=code or "orgs.role_denied",
        )


def _discover() -> None:
    global _discovered
    if not _discovered:
        from scpvn.core.modules import app_submodules

        app_submodules("scopes")
        _discovered = True
