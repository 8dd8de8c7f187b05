"""`core.lookups.present`: which of many values a table holds, the same on both engines."""

import pytest

from scpvn.core.lookups import SQLITE_CHUNK, present
from scpvn.orgs.models import Agency


@pytest.mark.django_db
def test_present_finds_the_held_values_among_more_than_a_chunk(mini_plan):
    held = sorted(Agency.objects.values_list("code", flat=True))
    assert held
    asked = [f"X{n}" for n in range(2 * SQLITE_CHUNK)] + held[:2] + ["it's; --"]
    assert present(Agency.objects.all(), "code", asked) == set(held[:2])
    assert present(Agency.objects.exclude(code=held[0]), "code", asked) == {held[1]}
    assert present(Agency.objects.all(), "code", []) == set()
