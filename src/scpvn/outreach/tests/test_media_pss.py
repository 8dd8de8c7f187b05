"""Media items and PSS records feed their deliverables; bad inputs write nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scpvn.outreach.models import GuidanceDocument, MediaItem, PssPilot
from scpvn.outreach.services import media, pss
from scpvn.progress.models import Activity

pytestmark = pytest.mark.django_db


def item(sct, deliverable, **kwargs) -> MediaItem:
    values = dict(
        kind="article",
        title="Bài viết",
        outlet="Báo Hà Nội mới",
        date=dt.date(2020, 8, 1),
        link="https://example.vn/a",
        agency=sct,
        deliverable=deliverable,
    )
    return MediaItem(**(values | kwargs))


def test_printed_material_counts_copies_and_articles_count_one(sct, deliverable, actor):
    media.save_media_item(actor, item(sct, deliverable))
    media.save_media_item(
        actor, item(sct, deliverable, kind="flyer", print_quantity=30000, link="https://x.vn/f")
    )
    assert sorted(Activity.objects.values_list("quantity", flat=True)) == [1, 30000]


def test_bad_media_items_are_refused(sct, deliverable, actor):
    with pytest.raises(ValidationError, match="số lượng in"):
        media.save_media_item(actor, item(sct, deliverable, kind="poster"))
    with pytest.raises(ValidationError, match="Chỉ ấn phẩm in"):
        media.save_media_item(actor, item(sct, deliverable, print_quantity=10))
    with pytest.raises(ValidationError, match="đường dẫn hoặc tệp"):
        media.save_media_item(actor, item(sct, deliverable, link=""))
    assert not MediaItem.objects.exists() and not Activity.objects.exists()


def test_moving_an_item_to_another_deliverable_moves_its_count(sct, deliverable, mini_plan, actor):
    saved = media.save_media_item(actor, item(sct, deliverable))
    other = mini_plan.tasks.get(number=1).deliverables.get(code="1.2")
    saved.deliverable = other
    media.save_media_item(actor, saved)
    assert list(Activity.objects.values_list("deliverable__code", flat=True)) == ["1.2"]
    media.delete_media_item(actor, saved)
    assert not Activity.objects.exists()


def test_api_refuses_printed_item_without_quantity(client, users, sct, deliverable):
    client.force_login(users["agency_officer"])
    body = {
        "kind": "handbook",
        "title": "Cẩm nang",
        "outlet": "NXB",
        "date": "2020-08-01",
        "link": "https://example.vn/c",
        "agency": sct.pk,
        "deliverable": deliverable.pk,
    }
    answer = client.post(reverse("network-media-list"), body, content_type="application/json")
    assert answer.status_code == 400 and "print_quantity" in answer.json()["errors"]
    body["print_quantity"] = 5000
    assert (
        client.post(
            reverse("network-media-list"), body, content_type="application/json"
        ).status_code
        == 201
    )
    assert Activity.objects.get().quantity == 5000
    client.force_login(users["reviewer"])
    assert (
        client.post(
            reverse("network-media-list"), body, content_type="application/json"
        ).status_code
        == 403
    )


def test_pss_guidance_and_completed_pilot_count(sct, deliverable, make_enterprise, actor):
    with pytest.raises(ValidationError):
        pss.publish_guidance(
            actor, GuidanceDocument(title="T", published=dt.date(2020, 9, 1), agency=sct)
        )
    pss.publish_guidance(
        actor,
        GuidanceDocument(
            title="T",
            link="https://example.vn/pss",
            published=dt.date(2020, 9, 1),
            agency=sct,
            deliverable=deliverable,
        ),
    )
    pilot = PssPilot.objects.create(
        name="Cho thuê đèn LED",
        host=make_enterprise(),
        started=dt.date(2020, 8, 1),
        agency=sct,
        deliverable=deliverable,
    )
    with pytest.raises(ValidationError, match="kết quả"):
        pss.complete_pilot(actor, pilot, results=" ", on=dt.date(2020, 12, 1))
    with pytest.raises(ValidationError, match="trước ngày bắt đầu"):
        pss.complete_pilot(actor, pilot, results="Giảm 30% điện", on=dt.date(2020, 7, 1))
    pilot.refresh_from_db()
    assert pilot.status == PssPilot.Status.DESIGN
    pss.complete_pilot(actor, pilot, results="Giảm 30% điện", on=dt.date(2020, 12, 1))
    assert Activity.objects.filter(deliverable=deliverable).count() == 2


def test_an_officer_cannot_change_another_agencys_records(
    client, sct, deliverable, make_fair, actor
):
    from scpvn.conftest import make_user
    from scpvn.orgs.models import Agency

    other = make_user("tnmt", "agency_officer", Agency.objects.get(code="STNMT"))
    saved = media.save_media_item(actor, item(sct, deliverable))
    fair = make_fair()
    client.force_login(other)
    assert client.get(reverse("network:media-edit", args=[saved.pk])).status_code == 404
    api = reverse("network-media-detail", args=[saved.pk])
    assert client.patch(api, {"title": "Sửa"}, content_type="application/json").status_code == 404
    assert client.get(api).status_code == 200  # reading stays open to staff
    assert (
        client.post(reverse("network:fair-close", args=[fair.pk]), {"visitors": 5}).status_code
        == 403
    )
    fair.refresh_from_db()
    assert fair.status == "open" and MediaItem.objects.get().title == "Bài viết"
    body = {
        "kind": "article",
        "title": "Bài",
        "outlet": "Báo",
        "date": "2020-08-01",
        "link": "https://example.vn/b",
        "agency": sct.pk,
    }
    assert (
        client.post(
            reverse("network-media-list"), body, content_type="application/json"
        ).status_code
        == 403
    )
