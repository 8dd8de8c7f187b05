from scpvn.core.tests.matrix import STAFF, Rule


def officer_notification(w):
    from scpvn.notifications.models import Notification

    notification, _ = Notification.objects.get_or_create(
        user=w.users["agency_officer"], key="matrix", defaults={"message": "Nhắc báo cáo"}
    )
    return notification


RULES = {
    "notifications:list": Rule(get=STAFF),
    "notification-list": Rule(get=STAFF),
    # Private to the person it was sent to: every other role gets 404.
    "notification-detail": Rule(
        get=frozenset({"agency_officer"}), kwargs=lambda w: {"pk": officer_notification(w).pk}
    ),
    "notification-read": Rule(
        get=frozenset({"agency_officer"}),
        kwargs=lambda w: {"pk": officer_notification(w).pk},
        skip="POST only: tested in progress/tests/test_api.py",
    ),
}
