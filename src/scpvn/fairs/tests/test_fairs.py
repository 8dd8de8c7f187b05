"""Fairs: applications, allocation, the waiting list, and a full fair under concurrency."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from scpvn.fairs import services as fairs
from scpvn.fairs.models import Chain, FairApplication, FairEvent
from scpvn.progress.models import Activity

pytestmark = pytest.mark.django_db


def apply(users, event, enterprise, role="city_admin"):
    return fairs.apply_for_booth(
        user=users[role], event=event, enterprise=enterprise, products="Gạo"
    )


def test_duplicate_application_is_refused_and_nothing_written(users, make_fair, make_enterprise):
    event, enterprise = make_fair(), make_enterprise()
    apply(users, event, enterprise)
    with pytest.raises(ValidationError, match="đã đăng ký"):
        apply(users, event, enterprise)
    assert FairApplication.objects.count() == 1


def test_enterprise_user_applies_only_for_own_enterprise(users, make_fair, make_enterprise):
    event = make_fair()
    own = make_enterprise(member=users["enterprise_user"])
    other = make_enterprise()
    apply(users, event, own, role="enterprise_user")
    with pytest.raises(ValidationError, match="thay cho"):
        apply(users, event, other, role="enterprise_user")
    assert list(FairApplication.objects.values_list("enterprise", flat=True)) == [own.pk]


def test_full_fair_refuses_allocation_then_waitlists_and_promotes(
    users, make_fair, make_enterprise, actor
):
    event = make_fair(capacity=1)
    first, second = (apply(users, event, make_enterprise()) for _ in range(2))
    fairs.allocate_booth(actor, first)
    with pytest.raises(fairs.FairFull):
        fairs.allocate_booth(actor, second)
    second.refresh_from_db()
    assert second.booth is None and second.status == FairApplication.Status.SUBMITTED
    assert fairs.review_application(actor, second, accept=True).status == "waitlisted"
    first.refresh_from_db()
    fairs.withdraw_application(actor, first)
    second.refresh_from_db()
    assert second.status == "allocated" and second.booth.code == "A01"


def test_database_refuses_one_booth_for_two_applications(users, make_fair, make_enterprise):
    event = make_fair()
    first, second = (apply(users, event, make_enterprise()) for _ in range(2))
    booth = event.booths.first()
    FairApplication.objects.filter(pk=first.pk).update(booth=booth)
    with pytest.raises(IntegrityError), transaction.atomic():
        FairApplication.objects.filter(pk=second.pk).update(booth=booth)


def test_check_in_sales_and_closing_count_booths_and_chain(
    users, make_fair, make_enterprise, sct, actor
):
    event = make_fair(capacity=3)
    chain = Chain.objects.create(name="Chuỗi 1", agency=sct, deliverable=event.deliverable)
    event.chain = chain
    event.save()
    applications = [apply(users, event, make_enterprise()) for _ in range(2)]
    with pytest.raises(ValidationError):
        fairs.check_in(actor, applications[0])  # not allocated yet
    applications = [fairs.allocate_booth(actor, a) for a in applications]
    with pytest.raises(ValidationError, match="chưa điểm danh"):
        fairs.report_sales(actor, applications[0], Decimal(1000))
    fairs.check_in(actor, applications[0])
    fairs.report_sales(actor, applications[0], Decimal(25_000_000))
    fairs.close_fair(actor, event, visitors=1500)
    booths = Activity.objects.get(source_id=event.pk, source_type__model="fairevent")
    assert booths.quantity == 2 and booths.status == Activity.Status.APPROVED
    assert Activity.objects.get(source_id=chain.pk, source_type__model="chain").quantity == 1
    fairs.cancel_fair(actor, event)
    assert not Activity.objects.exists()


def test_pages_enterprise_applies_officer_allocates(client, users, make_fair, make_enterprise):
    event = make_fair(capacity=1)
    own = make_enterprise(member=users["enterprise_user"])
    client.force_login(users["enterprise_user"])
    url = reverse("network:fair-apply", args=[event.pk])
    client.post(url, {"enterprise": own.pk, "products": "Mây tre đan"})
    page = client.post(url, {"enterprise": own.pk, "products": "Lần hai"})
    assert "đã đăng ký" in page.content.decode()
    application = FairApplication.objects.get()
    client.force_login(users["agency_officer"])
    action = reverse("network:application-action", args=[application.pk])
    client.post(action, {"action": "accept"})
    application.refresh_from_db()
    assert application.booth.code == "A01"


def test_api_duplicate_is_a_problem_and_full_fair_waitlists(
    client, users, make_fair, make_enterprise, actor
):
    event = make_fair(capacity=1)
    own = make_enterprise(member=users["enterprise_user"])
    client.force_login(users["enterprise_user"])
    url = reverse("network-application-list")
    body = {"event": event.pk, "enterprise": own.pk, "products": "Gốm"}
    assert client.post(url, body, content_type="application/json").status_code == 201
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400 and again["Content-Type"] == "application/problem+json"
    assert "đã đăng ký" in again.json()["detail"]
    other = apply(users, event, make_enterprise())
    fairs.allocate_booth(actor, other)
    client.force_login(users["agency_officer"])
    mine = FairApplication.objects.get(enterprise=own)
    answer = client.post(reverse("network-application-allocate", args=[mine.pk]))
    assert answer.status_code == 200 and answer.json()["status"] == "waitlisted"


@pytest.mark.django_db(transaction=True)
def test_two_officers_allocating_the_last_booth_at_once(users, make_fair, make_enterprise, actor):
    """Two real transactions on separate connections race for the one booth left."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks from concurrent connections: SQLite serialises writers")
    event = make_fair(capacity=1)
    applications = [apply(users, event, make_enterprise()) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def allocate(application):
        from django.db import connections

        try:
            barrier.wait()
            fairs.allocate_booth(actor, application)
            outcomes.append("allocated")
        except fairs.FairFull:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate, args=(a,)) for a in applications]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["allocated", "full"]
    assert FairEvent.objects.get(pk=event.pk).applications.filter(booth__isnull=False).count() == 1


@pytest.fixture
def tnmt_officer(users):
    """An agency officer of Sở TN&MT: staff, but not of the agency running the fairs."""
    from scpvn.conftest import make_user
    from scpvn.orgs.models import Agency
    from scpvn.orgs.roles import Role

    return make_user("officer.tnmt", Role.AGENCY_OFFICER, Agency.objects.get(code="STNMT"))


def test_officer_of_another_agency_is_refused_by_page_and_api_alike(
    client, users, make_fair, make_enterprise, tnmt_officer
):
    """The page and the API call the same service, which checks the actor's agency: an
    officer of Sở TN&MT allocating at a Sở Công Thương fair is refused by both, nothing
    changed."""
    event = make_fair(capacity=2)
    application = apply(users, event, make_enterprise())
    client.force_login(tnmt_officer)
    page = client.post(
        reverse("network:application-action", args=[application.pk]), {"action": "accept"}
    )
    assert page.status_code == 403
    answer = client.post(reverse("network-application-allocate", args=[application.pk]))
    assert answer.status_code == 403
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "fairs.change_denied"
    application.refresh_from_db()
    assert application.status == FairApplication.Status.SUBMITTED and application.booth is None
    with pytest.raises(PermissionDenied):
        fairs.review_application(tnmt_officer, application, accept=True)


def test_the_fairs_list_and_its_api_keep_the_latest_first(make_fair, actor, client):
    """As for events: the count of allocated booths groups the query, and Django then
    leaves out the model's ordering (latest fair first)."""
    fairs = [make_fair() for _ in range(3)]
    for fair, day in zip(fairs, (5, 20, 1), strict=True):
        held = dt.date(2020, 9, day)
        FairEvent.objects.filter(pk=fair.pk).update(start_date=held, end_date=held)
    latest_first = [fairs[1].pk, fairs[0].pk, fairs[2].pk]
    client.force_login(actor)
    page = client.get(reverse("network:fairs")).context["object_list"]
    api = client.get(reverse("network-fair-list")).json()["results"]
    assert [fair.pk for fair in page] == latest_first
    assert [row["id"] for row in api] == latest_first
