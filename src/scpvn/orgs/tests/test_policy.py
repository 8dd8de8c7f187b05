"""orgs.policy: one registry of (model, action) rules, asked by every app."""

import pytest
from django.contrib.auth.models import AnonymousUser

from scpvn.core.errors import Denied
from scpvn.orgs.models import Agency
from scpvn.orgs.policy import VIEW, allows, check, register, restrict, rule_for
from scpvn.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def test_a_rule_is_declared_once():
    rule_for(Enterprise, VIEW)  # declared by registry/scopes.py, found on first use
    with pytest.raises(ValueError, match="declared twice"):
        register(Enterprise, VIEW, roles=frozenset())


def test_an_undeclared_action_is_a_programming_error():
    with pytest.raises(LookupError, match=r"scopes\.py"):
        rule_for(Agency, "fly")


def test_scope_narrows_queryset_and_object_checks_alike(users, mini_plan):
    from scpvn.geo.models import District

    inside = Enterprise.objects.create(
        tax_code="0100109106",
        name="Ở quận",
        vsic_code="4711",
        district=District.objects.get(code="006"),
    )
    outside = Enterprise.objects.create(
        tax_code="0101248141",
        name="Nơi khác",
        vsic_code="4711",
        district=District.objects.exclude(code="006")[0],
    )
    officer = users["district_officer"]
    assert set(restrict(Enterprise.objects.all(), officer)) == {inside}
    assert allows(officer, VIEW, inside) and not allows(officer, VIEW, outside)
    with pytest.raises(Denied) as refusal:
        check(officer, VIEW, outside)
    assert refusal.value.code == "registry.view_denied"
    # Nobody (no user, or an anonymous visitor) reaches nothing.
    assert not restrict(Enterprise.objects.all(), AnonymousUser()).exists()
    assert not restrict(Enterprise.objects.all(), None).exists()
    assert not allows(None, VIEW, inside)
