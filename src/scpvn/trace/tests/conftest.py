"""Trace test fixtures: quick API users (no password hashing) and the geo reference data a
transactional test may find flushed by an earlier one."""

import pytest

from scpvn.orgs.models import User
from scpvn.orgs.roles import Role


@pytest.fixture
def geo(db) -> None:
    from scpvn.geo.models import District
    from scpvn.geo.services import load_reference_data

    if not District.objects.exists():
        load_reference_data()


@pytest.fixture
def city_admin(geo) -> User:
    return User.objects.create(username="trace-admin", role=Role.CITY_ADMIN, full_name="Quản trị")


@pytest.fixture
def admin_api(city_admin):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(city_admin)
    return client


@pytest.fixture
def enterprise_user(geo) -> User:
    return User.objects.create(
        username="trace-member", role=Role.ENTERPRISE_USER, full_name="Thành viên HTX"
    )


@pytest.fixture
def enterprise(enterprise_user):
    """An enterprise in Đống Đa whose member is `enterprise_user`."""
    from scpvn.geo.models import District
    from scpvn.registry.models import Enterprise

    enterprise = Enterprise.objects.create(
        tax_code="0100109106",
        name="HTX Rau sạch Đống Đa",
        district=District.objects.get(code="006"),
        vsic_code="0113",
    )
    enterprise.members.add(enterprise_user)
    return enterprise
