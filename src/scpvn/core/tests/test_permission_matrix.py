"""Every page and API endpoint, as every role, against the declared matrix."""

import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from scpvn.core.modules import app_submodules
from scpvn.core.tests.matrix import ANONYMOUS, ROLES, Rule, Scope, Write

SKIPPED_NAMESPACES = {"admin"}  # Django admin has its own is_staff gate


def declared_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for module in app_submodules("tests.access_matrix"):
        duplicate = rules.keys() & module.RULES.keys()
        assert not duplicate, f"declared twice: {duplicate}"
        rules.update(module.RULES)
    return rules


def declared_scopes() -> list[Scope]:
    return [
        scope
        for module in app_submodules("tests.access_matrix")
        for scope in getattr(module, "SCOPES", [])
    ]


def declared_writes() -> list[Write]:
    return [
        write
        for module in app_submodules("tests.access_matrix")
        for write in getattr(module, "WRITES", [])
    ]


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in SKIPPED_NAMESPACES:
                names.add(ns)
                continue
            names |= url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            if "format" in entry.pattern.regex.groupindex:
                continue  # DRF's `.json` suffix twin of a pattern checked already
            names.add(namespace + entry.name)
    return names


def test_every_url_is_declared():
    missing = sorted(url_names() - declared_rules().keys())
    assert not missing, (
        f"URLs without a permission rule (add them to tests/access_matrix.py): {missing}"
    )


def test_no_rule_for_a_url_that_is_gone():
    stale = sorted(declared_rules().keys() - url_names())
    assert not stale, f"rules for URLs that no longer exist: {stale}"


@pytest.fixture
def world(users, mini_plan):
    from scpvn.geo.models import District
    from scpvn.registry.models import Enterprise

    enterprise = Enterprise.objects.create(
        tax_code="0100109106",
        name="Công ty TNHH Xanh",
        district=District.objects.get(code="006"),
        vsic_code="4711",
    )
    enterprise.members.add(users["enterprise_user"])
    return SimpleNamespace(plan=mini_plan, users=users, enterprise=enterprise)


def refused(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")


def refused_write(response) -> bool:
    return refused(response) or response.status_code == 405


def row_counts() -> dict[str, int]:
    """Rows in every table, to prove a refused request wrote nothing (sessions and
    login-throttling rows aside: they change on any request)."""
    ignored = {"sessions", "axes"}
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ignored
    }


def send(client, method: str, url: str, data: dict):
    if url.startswith("/api/"):
        return getattr(client, method)(url, json.dumps(data), content_type="application/json")
    return getattr(client, method)(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role):
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    failures = []
    for name, rule in sorted(declared_rules().items()):
        if rule.skip:
            continue
        url = reverse(name, kwargs=rule.kwargs(world)) + (f"?{rule.query}" if rule.query else "")
        response = client.get(url)
        allowed = role in rule.get
        if allowed and (refused(response) or response.status_code >= 400):
            failures.append(f"{name} {url}: expected access, got {response.status_code}")
        elif not allowed and not refused(response):
            failures.append(f"{name} {url}: expected refusal, got {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_unsafe_methods(client, world, role):
    """POST where declared: allowed roles succeed; the others are refused and nothing is
    written. Each rule runs on its own logged-in client state, refused ones first."""
    failures = []
    rules = sorted(
        ((n, r) for n, r in declared_rules().items() if r.post is not None),
        key=lambda item: (role in item[1].post, item[0]),
    )
    for name, rule in rules:
        if role != ANONYMOUS:
            client.force_login(world.users[role])
        url = reverse(name, kwargs=rule.kwargs(world))
        data = rule.data(world)
        if role in rule.post:
            response = send(client, "post", url, data)
            if refused(response) or response.status_code >= 400:
                failures.append(f"POST {name} {url}: expected success, got {response.status_code}")
            continue
        before = row_counts()
        response = send(client, "post", url, data)
        if not refused_write(response):
            failures.append(f"POST {name} {url}: expected refusal, got {response.status_code}")
        elif row_counts() != before:
            failures.append(f"POST {name} {url}: refused but wrote rows")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_object_scopes(client, world, role):
    """Each declared scope: a role reaches exactly the records it should, by every declared
    way in (queryset service, detail URL, edit endpoint)."""
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    failures = []
    for scope in declared_scopes():
        records = scope.records(world)
        expected = scope.sees.get(role, frozenset())
        if scope.visible is not None:
            pks = {r.pk for r in records.values()}
            seen = set(scope.visible(user).filter(pk__in=pks).values_list("pk", flat=True))
            got = {name for name, r in records.items() if r.pk in seen}
            if got != expected:
                failures.append(f"{scope.name}: visible {sorted(got)}, expected {sorted(expected)}")
        for name, record in records.items():
            if scope.url is not None:
                url = scope.url(world, record)
                response = client.get(url)
                ok = response.status_code < 400 and not refused(response)
                if ok != (name in expected):
                    failures.append(f"{scope.name} {name} GET {url}: {response.status_code}")
            if scope.edit is not None:
                url, data = scope.edit(world, record)
                before = row_counts() if name not in expected else None
                method = "patch" if url.startswith("/api/") else "post"
                response = send(client, method, url, data)
                ok = response.status_code < 400 and not refused(response)
                if ok != (name in expected):
                    failures.append(f"{scope.name} {name} edit {url}: {response.status_code}")
                elif before is not None and row_counts() != before:
                    failures.append(f"{scope.name} {name} edit {url}: refused but wrote rows")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_write_scopes(client, world, role):
    """Each declared write, as every role, on a record inside and one outside the role's
    scope: the allowed ones take effect, the others are refused and write nothing."""
    user = world.users[role]
    failures = []
    for write in declared_writes():
        for name, record in write.records(world).items():
            if user is not None:
                client.force_login(user)
            url = write.url(world, record)
            allowed = name in write.may.get(role, frozenset())
            before = row_counts()
            response = send(client, "post", url, write.data(world, record))
            done = write.done(type(record)._base_manager.get(pk=record.pk))
            where = f"{write.name} {name} POST {url}: {response.status_code}"
            if allowed:
                if response.status_code >= 400 or refused(response) or not done:
                    failures.append(f"{where}: expected the action to take effect")
                continue
            if done or row_counts() != before:
                failures.append(f"{where}: refused but took effect or wrote rows")
            elif url.startswith("/api/") and not (
                400 <= response.status_code < 500 and response.json().get("code")
            ):
                failures.append(f"{where}: expected a 4xx problem with a code")
    assert not failures, "\n".join(failures)
