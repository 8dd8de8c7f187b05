import pytest

from scpvn.geo.models import District, Ward
from scpvn.geo.services import find_district, load_reference_data
from scpvn.orgs.models import Agency

pytestmark = pytest.mark.django_db

GSO_CODES = [f"{c:03d}" for c in [*range(1, 10), *range(16, 22), 250, 268, 269, *range(271, 283)]]


def test_thirty_pre_2025_districts_with_gso_codes():
    assert list(District.objects.values_list("code", flat=True)) == GSO_CODES
    assert District.objects.filter(kind="quan").count() == 12
    assert District.objects.filter(kind="huyen").count() == 17
    assert District.objects.get(code="269").name == "Thị xã Sơn Tây"
    assert District.objects.exclude(latitude=None).count() == 30


def test_post_2025_wards_from_package():
    assert Ward.objects.count() == 126
    assert Ward.objects.filter(name="Phường Hoàn Kiếm").exists()


def test_every_district_has_its_peoples_committee():
    assert Agency.objects.filter(kind="district", district__isnull=False).count() == 30


def test_reload_is_idempotent():
    before = District.objects.count(), Ward.objects.count()
    load_reference_data()
    assert (District.objects.count(), Ward.objects.count()) == before


@pytest.mark.parametrize("text", ["Đống Đa", "Quận Đống Đa", "quận đống đa", "Dong Da", "006", "6"])
def test_find_district_by_name_or_code(text):
    assert find_district(text).code == "006"


@pytest.mark.parametrize("text", ["", "Quận Không Có", "999"])
def test_unknown_district(text):
    assert find_district(text) is None
