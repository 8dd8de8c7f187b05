"""Placing addresses of either map on today's wards, for any installed province."""

import pytest
from django.test import override_settings

from scpvn.geo.addresses import AddressPlacer
from scpvn.geo.services import link_rows_to_tree, load_province_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def ca_mau():
    """An installation for Cà Mau, which took in Bạc Liêu on 1 July 2025."""
    with override_settings(SCPVN_PROVINCE="96"):
        load_province_rows()
        link_rows_to_tree()
        yield AddressPlacer()


def test_an_old_commune_of_a_merged_province_lands_in_its_new_ward(ca_mau):
    placement = ca_mau.place("Phường Nhà Mát", "Thành phố Bạc Liêu")
    assert (placement.ward.code, placement.ward.name) == ("31840", "Phường Hiệp Thành")
    assert placement.district.code == "954"
    assert placement.unit_id == placement.ward.unit_id


@pytest.mark.parametrize("province", ["", "Cà Mau", "Tỉnh Cà Mau", "96", "Bạc Liêu", "95"])
def test_the_installed_province_or_one_merged_into_it(ca_mau, province):
    assert ca_mau.province_ok(province)


@pytest.mark.parametrize("province", ["Hà Nội", "01", "Tỉnh Không Có"])
def test_another_province_is_not_this_installation(ca_mau, province):
    assert not ca_mau.province_ok(province)


def test_hanoi_wards_are_not_places_of_a_ca_mau_installation(ca_mau):
    assert ca_mau.place("Phường Cửa Nam").problem


def test_names_match_whatever_the_tone_mark_placement():
    placer = AddressPlacer()
    assert placer.place("Phường Hoà Bình").problem == placer.place("Phường Hòa Bình").problem
    assert placer.place("cua nam").ward.code == "00082"
