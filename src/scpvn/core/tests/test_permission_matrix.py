"""Every page and API endpoint, as every role, against the declared matrix."""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from scpvn.core.modules import app_submodules
from scpvn.core.tests.matrix import ANONYMOUS, ROLES, Rule

SKIPPED_NAMESPACES = {"admin"}  # Django admin has its own is_staff gate


def declared_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for module in app_submodules("tests.access_matrix"):
        duplicate = rules.keys() & module.RULES.keys()
        assert not duplicate, f"declared twice: {duplicate}"
        rules.update(module.RULES)
    return rules


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
