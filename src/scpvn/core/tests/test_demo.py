import pytest
from django.core.management import call_command

from scpvn.orgs.models import User
from scpvn.orgs.roles import Role
from scpvn.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent_and_has_one_account_per_role(capsys):
    call_command("demo", "load")
    call_command("demo", "load")
    out = capsys.readouterr().out
    assert Plan.objects.filter(code="96/KH-UBND").count() == 1
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert "quantri" in out and "scpvn-demo-2020" in out
    assert User.objects.get(username="canbo.dongda").district.code == "006"
