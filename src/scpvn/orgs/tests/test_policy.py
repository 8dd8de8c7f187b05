"""orgs.policy: one registry of (model, action) rules, asked by every app."""

from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser

from scpvn.core.errors import Denied
from scpvn.orgs.models import Agency
from scpvn.orgs.policy import (
    EVERYTHING,
    NOTHING,
    VIEW,
    allows,
    check,
    register,
    restrict,
    rule_for,
)
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


def test_a_check_on_an_object_as_read_agrees_with_the_database(users, mini_plan):
    """`as_read` decides a scope over the object's own columns from its attributes: for
    every rule, every user and the rows of its model, the same answer as the query."""
    from scpvn.assessments.models import Assignment, Questionnaire
    from scpvn.core.qmatch import matches
    from scpvn.geo.models import District, Ward
    from scpvn.orgs.policy import _RULES
    from scpvn.registry.models import Place

    district = District.objects.get(code="006")
    ward = Ward.objects.get(name="Phường Văn Miếu - Quốc Tử Giám")
    places = [
        Place.objects.create(kind="market", name="Chợ quận", district=district),
        Place.objects.create(kind="market", name="Chợ phường", unit=ward.unit),
        Place.objects.create(
            kind="market", name="Chợ nơi khác", district=District.objects.get(code="001")
        ),
    ]
    own = Enterprise.objects.create(
        tax_code="0100109106", name="Của mình", vsic_code="4711", district=district
    )
    own.members.add(users["enterprise_user"])
    Enterprise.objects.create(
        tax_code="0101248141", name="Phường", vsic_code="4711", unit=ward.unit
    )
    survey = Questionnaire.objects.create(code="T", title="Thử", subject="place")
    for place, agency in zip(places, [None, Agency.objects.get(code="SCT"), None], strict=True):
        Assignment.objects.create(questionnaire=survey, place=place, agency=agency)
    decided = Counter()
    rule_for(Place, VIEW)  # every app's rules declared
    for (label, action), rule in _RULES.items():
        for obj in rule.model._base_manager.order_by("pk")[:6]:
            for user in users.values():
                expected = allows(user, action, obj)
                assert allows(user, action, obj, as_read=True) is expected, (label, action, user)
                q = rule.q(user)
                if q not in (NOTHING, EVERYTHING):
                    decided[label, action] += matches(q, obj) is not None
    # the check of a response's subject is among those decided in memory
    assert decided["registry.Place", "answer"] and decided["registry.Enterprise", "answer"]
