"""core.qmatch: a simple Q decided on an object in memory exactly as the database decides it,
and left to the database (None) whenever it could differ."""

import pytest
from django.db.models import F, Q

from scpvn.core.qmatch import matches
from scpvn.geo.models import District, Ward
from scpvn.registry.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(mini_plan):
    district = District.objects.get(code="006")
    other = District.objects.get(code="001")
    return [
        Place.objects.create(kind="market", name="Chợ A", district=district),
        Place.objects.create(kind="supermarket", name="Siêu thị B", district=other),
        # on a 2025 ward only: no district (NULL)
        Place.objects.create(kind="market", name="Chợ C", unit=Ward.objects.first().unit),
    ]


def decided_conditions(district: District) -> list[Q]:
    return [
        Q(),
        Q(district_id=district.pk),
        Q(district=None),
        Q(district_id__isnull=True),
        Q(district_id__isnull=False),
        Q(district_id__in=[district.pk, None]),
        Q(district_id__in=[]),
        Q(kind="market") & Q(district_id=district.pk),
        Q(kind="supermarket") | Q(district_id__in=[district.pk]),
        Q(kind__in=("market",)) | Q(district_id=None),
        Q(pk__in=[1, 2, 3]),
    ]


def test_what_it_decides_it_decides_as_the_database_does(places):
    district = District.objects.get(code="006")
    for q in decided_conditions(district):
        for place in places:
            in_database = Place.objects.filter(pk=place.pk).filter(q).exists()
            assert matches(q, place) is in_database, (q, place.name)


def test_what_could_differ_is_left_to_the_database(places):
    place = places[0]
    undecided = [
        ~Q(district_id=place.district_id),  # NOT: SQL's unknown is not false there
        Q(district__code="006"),  # a join
        Q(district=place.district),  # a relation compared to a model instance
        Q(district_id=str(place.district_id)),  # the database would convert it
        Q(district_id__in=District.objects.values("pk")),  # a subquery
        Q(name__icontains="chợ"),  # a lookup of its own
        Q(district_id=F("pk")),  # an expression
        Q(kind="market") | ~Q(pk=1),  # one undecided part undecides the whole
        Q(kind="market") ^ Q(pk=1),  # XOR
    ]
    for q in undecided:
        assert matches(q, place) is None, q
