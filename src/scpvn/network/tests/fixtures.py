"""Fixtures shared by the tests of the network apps (fairs, greenpoints, outreach,
surveys), imported by each app's conftest."""

import datetime as dt
import itertools

import pytest
from stdnum.vn import mst

from scpvn.core.tests.test_browser import page  # noqa: F401  (the browser fixture)
from scpvn.fairs import services as fair_services
from scpvn.fairs.models import FairEvent
from scpvn.geo.models import District
from scpvn.geo.services import load_reference_data
from scpvn.orgs.models import Agency
from scpvn.registry.models import Enterprise

_numbers = itertools.count(1)


def tax_code() -> str:
    while True:
        body = f"01{next(_numbers) + 5_000_000:07d}"
        check = mst.calc_check_digit(body)
        if len(check) == 1:
            return body + check


@pytest.fixture(autouse=True)
def reference_data(db):
    """Transactional tests (browser, concurrency) may start after another one flushed the
    database, districts included; reload them (idempotent) when they are gone."""
    if not District.objects.filter(code="006").exists():
        load_reference_data()


@pytest.fixture
def sct(mini_plan):
    return Agency.objects.get(code="SCT")


@pytest.fixture
def dongda(db):
    return District.objects.get(code="006")


@pytest.fixture
def make_enterprise(dongda):
    def make(vsic: str = "2511", name: str = "", member=None) -> Enterprise:
        code = tax_code()
        enterprise = Enterprise.objects.create(
            tax_code=code, name=name or f"Công ty {code}", district=dongda, vsic_code=vsic
        )
        if member is not None:
            enterprise.members.add(member)
        return enterprise

    return make


@pytest.fixture
def deliverable(mini_plan):
    return mini_plan.tasks.get(number=1).deliverables.get(code="1.1")


@pytest.fixture
def make_fair(sct, dongda, deliverable, actor):
    def make(capacity: int = 2) -> FairEvent:
        event = FairEvent.objects.create(
            name="Hội chợ xanh",
            venue="Cung Văn hóa",
            district=dongda,
            agency=sct,
            start_date=dt.date(2020, 9, 1),
            end_date=dt.date(2020, 9, 3),
            capacity=capacity,
            deliverable=deliverable,
        )
        fair_services.lay_out_booths(actor, event, ["Khu A"])
        return event

    return make


@pytest.fixture
def actor(users):
    """A city administrator: acts for every agency, so a test of a rule is not a test of
    scope (scope has its own tests)."""
    return users["city_admin"]
