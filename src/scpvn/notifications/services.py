"""Telling people things: once per key, in the app and by e-mail. Progress, reports and the
reminder job call these; the page and the API list and mark them read."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from scpvn.notifications.models import Notification


def notify(user, key: str, message: str, url: str = "") -> bool:
    """Tells `user` once per `key`, in the app and by e-mail when they have an address;
    returns False when they had been told already."""
    try:
        with transaction.atomic():
            Notification.objects.create(user=user, key=key[:200], message=message, url=url)
    except IntegrityError:
        return False
    if user.email:
        link = f"{settings.SCPVN_PUBLIC_URL.rstrip('/')}{url}" if url else ""
        send_mail(
            subject=f"[scpvn] {message[:120]}",
            message=f"{message}\n\n{link}".strip(),
            from_email=None,
            recipient_list=[user.email],
            fail_silently=True,  # the in-app notification stands; mail is best effort
        )
    return True


def mark_read(user, pk: int | None = None) -> int:
    """Marks the user's unread notifications (all, or the one `pk`) read; returns how many.
    Only their own: a notification is private to the person it was sent to."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
