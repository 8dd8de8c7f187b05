"""Green points: scoring against the checklist, certification, expiry and renewal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from scpvn.greenpoints import services as greenpoints
from scpvn.greenpoints.models import Assessment, Certificate, Criterion, GreenField, GreenPoint
from scpvn.progress.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(db):
    field = GreenField.objects.create(name="Thiết bị giáo dục", pass_score=12, validity_months=12)
    for order, text in enumerate(["An toàn", "Vật liệu xanh"], start=1):
        Criterion.objects.create(field=field, order=order, text=text, max_score=10)
    return field


@pytest.fixture
def point(users, field, make_enterprise, dongda, deliverable):
    return greenpoints.apply_green_point(
        user=users["enterprise_user"],
        enterprise=make_enterprise(member=users["enterprise_user"]),
        field=field,
        name="Cửa hàng thiết bị giáo dục xanh",
        address="12 Tôn Đức Thắng",
        district=dongda,
        description="",
        evidence=ContentFile(b"%PDF", name="ho-so.pdf"),
        deliverable=deliverable,
    )


def scores(field, value):
    return {c.pk: value for c in field.criteria.all()}


def test_application_needs_evidence_and_own_enterprise(users, field, make_enterprise, dongda):
    base = dict(field=field, name="X", address="Y", district=dongda, description="")
    with pytest.raises(ValidationError, match="minh chứng"):
        greenpoints.apply_green_point(
            user=users["enterprise_user"],
            enterprise=make_enterprise(member=users["enterprise_user"]),
            evidence=None,
            **base,
        )
    with pytest.raises(ValidationError, match="thay cho"):
        greenpoints.apply_green_point(
            user=users["enterprise_user"],
            enterprise=make_enterprise(),
            evidence=ContentFile(b"x", name="e.pdf"),
            **base,
        )
    assert not GreenPoint.objects.exists()


def test_bad_scores_are_refused_and_nothing_written(users, point, field, actor):
    some = dict(list(scores(field, 5).items())[:1])
    with pytest.raises(ValidationError, match="Chưa chấm"):
        greenpoints.assess(actor, point, date=dt.date(2020, 9, 1), scores=some)
    with pytest.raises(ValidationError, match="từ 0 đến 10"):
        greenpoints.assess(actor, point, date=dt.date(2020, 9, 1), scores=scores(field, 11))
    assert not Assessment.objects.exists()


def test_failed_assessment_cannot_be_certified(users, point, field, actor):
    greenpoints.assess(actor, point, date=dt.date(2020, 9, 1), scores=scores(field, 5))
    point.refresh_from_db()
    assert point.status == GreenPoint.Status.REJECTED
    with pytest.raises(ValidationError, match="đánh giá đạt"):
        greenpoints.certify(actor, point, on=dt.date(2020, 9, 2))
    assert not Certificate.objects.exists() and not Activity.objects.exists()


def test_certificate_expires_and_is_renewed_only_on_a_new_assessment(users, point, field, actor):
    greenpoints.assess(actor, point, date=dt.date(2020, 9, 1), scores=scores(field, 8))
    first = greenpoints.certify(actor, point, on=dt.date(2020, 9, 15))
    assert first.valid_until == dt.date(2021, 9, 14)
    assert Activity.objects.get().quantity == 1
    assert list(greenpoints.certified_points(dt.date(2021, 9, 14))) == [point]
    # expired: no longer listed publicly, and the old assessment cannot renew it
    assert list(greenpoints.certified_points(dt.date(2021, 9, 15))) == []
    with pytest.raises(ValidationError, match="sau chứng nhận trước"):
        greenpoints.certify(actor, point, on=dt.date(2022, 1, 10))
    greenpoints.assess(actor, point, date=dt.date(2022, 1, 5), scores=scores(field, 9))
    renewal = greenpoints.certify(actor, point, on=dt.date(2022, 1, 10))
    assert renewal.renews == first and renewal.issued == dt.date(2022, 1, 10)
    assert list(greenpoints.certified_points(dt.date(2022, 6, 1))) == [point]
    # the point counts once toward its deliverable, dated by its first certificate
    activity = Activity.objects.get()
    assert activity.quantity == 1 and activity.date == dt.date(2020, 9, 15)


def test_renewing_long_before_expiry_is_refused(users, point, field, actor):
    greenpoints.assess(actor, point, date=dt.date(2020, 9, 1), scores=scores(field, 8))
    greenpoints.certify(actor, point, on=dt.date(2020, 9, 15))
    greenpoints.assess(actor, point, date=dt.date(2020, 10, 1), scores=scores(field, 8))
    with pytest.raises(ValidationError, match="còn hiệu lực"):
        greenpoints.certify(actor, point, on=dt.date(2020, 10, 2))
    assert Certificate.objects.count() == 1


def test_pages_assess_and_certify(client, users, point, field):
    client.force_login(users["agency_officer"])
    data = {"date": "2020-09-01", "note": ""} | {f"c{pk}": 7 for pk in scores(field, 0)}
    client.post(reverse("network:greenpoint-assess", args=[point.pk]), data)
    client.post(reverse("network:greenpoint-certify", args=[point.pk]), {"on": "2020-09-02"})
    page = client.get(reverse("network:greenpoint", args=[point.pk])).content.decode()
    assert Certificate.objects.filter(point=point).exists()
    assert "Đã chứng nhận" in page


def test_detail_page_judges_the_certificate_on_the_app_clock(client, users, point, field, settings):
    """A certificate of 2020-09-02 is current on the page while SCPVN_TODAY is in its year of
    validity, and no longer once SCPVN_TODAY is past it."""
    officer = users["agency_officer"]
    greenpoints.assess(point, assessor=officer, date=dt.date(2020, 9, 1), scores=scores(field, 8))
    certificate = greenpoints.certify(point, on=dt.date(2020, 9, 2))
    client.force_login(officer)
    url = reverse("network:greenpoint", args=[point.pk])
    settings.SCPVN_TODAY = "2020-12-01"
    page = client.get(url)
    assert page.context["today"] == dt.date(2020, 12, 1) and page.context["current"] == certificate
    settings.SCPVN_TODAY = "2022-12-01"
    assert client.get(url).context["current"] is None
