"""API tokens that end: they expire, die with a password change, and their owner sees and
revokes them.

A token used to live for ever and survive a password change, so a leaked one stayed good.
`ExpiringTokenAuthentication` refuses a token older than SCPVN_TOKEN_TTL_DAYS; changing a
password deletes the user's tokens; `orgs.token_views` lets the owner list and revoke them.
(Kept apart from the views: DRF imports this module while its own views load.)
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def expires_at(token: Token) -> dt.datetime:
    return token.created + dt.timedelta(days=settings.SCPVN_TOKEN_TTL_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if expires_at(token) <= timezone.now():
            raise AuthenticationFailed(
                _("Token đã hết hạn; hãy tạo token mới."), code="token_expired"
            )
        return user, token


def revoke_tokens_on_password_change(sender, instance, **kwargs) -> None:
    """A new password ends every token the old one could have leaked with."""
    if instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        Token.objects.filter(user_id=instance.pk).delete()


def connect_signals() -> None:
    pre_save.connect(
        revoke_tokens_on_password_change,
        sender=get_user_model(),
        dispatch_uid="scpvn.core.tokens.revoke_on_password_change",
    )
