"""Named queries (EPCIS 2.0 REST `/queries`): a query definition saved under a name and run
later through `/queries/{name}/events`. Each user sees and runs only their own; what a run
returns is still limited by the user's query scope."""

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import QueryDict

from scpvn.trace.eventfields import prefixes
from scpvn.trace.models import NamedQuery
from scpvn.trace.repository import QueryError, Scope, page_of_events

NAME_LENGTH = 200


class NoSuchQuery(LookupError):
    """No named query of that name for this user (EPCIS NoSuchNameException)."""


class QueryExists(ValueError):
    """The user already has a query of that name (ResourceAlreadyExistsException)."""


def as_params(query: dict) -> QueryDict:
    """A query-schema object as the parameters of GET /events: lists become repeated
    values, booleans the words the REST binding uses, `null` (EXISTS_…) an empty value."""
    params = QueryDict(mutable=True)
    for name, value in query.items():
        if name == "@context":
            continue
        items = value if isinstance(value, list) else [value]
        words = []
        for item in items:
            if isinstance(item, bool):
                words.append("true" if item else "false")
            elif item is None:
                words.append("")
            elif isinstance(item, dict | list):
                raise QueryError(f"{name}: giá trị phải là chuỗi, số hoặc danh sách chuỗi")
            else:
                words.append(str(item))
        params.setlist(name, words)
    return params


def namespaces_of(query: dict) -> dict[str, str]:
    return prefixes(query.get("@context", []))


def create_query(user, definition) -> NamedQuery:
    """Save a named query after checking that every parameter is one the repository
    answers (a query that can never run is refused now, not at each run)."""
    if not isinstance(definition, dict):
        raise QueryError("Thân yêu cầu phải là một đối tượng {name, query}")
    name, query = definition.get("name"), definition.get("query")
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_LENGTH or "/" in name:
        raise QueryError(f"name phải là chuỗi 1–{NAME_LENGTH} ký tự, không chứa '/'")
    if not isinstance(query, dict):
        raise QueryError("query phải là một đối tượng theo query-schema của EPCIS 2.0")
    params = as_params(query)
    trial = params.copy()
    trial["perPage"] = "1"
    # Every parameter is parsed (QueryError if one is not answerable) over an empty scope.
    page_of_events(trial, Scope(gtins=frozenset()), namespaces=namespaces_of(query))
    try:
        with transaction.atomic():
            return NamedQuery.objects.create(owner=user, name=name, query=query)
    except IntegrityError as exc:
        raise QueryExists(f"Đã có truy vấn tên {name}") from exc


def queries_of(user) -> QuerySet[NamedQuery]:
    return NamedQuery.objects.filter(owner=user)


def query_named(user, name: str) -> NamedQuery:
    try:
        return queries_of(user).get(name=name)
    except NamedQuery.DoesNotExist as exc:
        raise NoSuchQuery(f"Không có truy vấn tên {name}") from exc


def delete_query(user, name: str) -> None:
    query_named(user, name).delete()
