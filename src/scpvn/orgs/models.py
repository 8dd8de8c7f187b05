"""Agencies and the people who act for them.

A user has exactly one role and, depending on it, the agency or district they act for;
every view and API asks `scpvn.orgs.access` rather than reading these fields itself.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scpvn.orgs.roles import Role


class Agency(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ban, ngành")
        DISTRICT = "district", _("UBND quận, huyện, thị xã")
        COMMUNE = "commune", _("UBND xã, phường")
        CITY = "city", _("UBND Thành phố")
        MINISTRY = "ministry", _("Bộ, ngành trung ương")
        MEDIA = "media", _("Cơ quan báo chí, truyền thông")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")
        OTHER = "other", _("Khác")

    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("quận, huyện"),
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("xã, phường"),
        help_text=_("Cho UBND một xã, phường (từ 1/7/2025)."),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class UserManager(DjangoUserManager):
    def _create_user_object(self, username, email, password, **extra_fields):
        # Django hashes the password here without set_password: pass it on to save() so
        # create_user and createsuperuser write the partial digest too.
        user = super()._create_user_object(username, email, password, **extra_fields)
        user._digest_password = password
        return user


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(
        _("vai trò"), max_length=20, choices=Role.choices, default=Role.ENTERPRISE_USER
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("cơ quan"),
    )
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("quận, huyện"),
    )
    unit = models.ForeignKey(
        "geo.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("xã, phường"),
        help_text=_("Đơn vị hành chính mà cán bộ xã, phường phụ trách."),
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in (Role.AGENCY_OFFICER, Role.REVIEWER) and not self.agency_id:
            raise ValidationError({"agency": _("Vai trò này phải gắn với một cơ quan.")})
        if self.role == Role.DISTRICT_OFFICER and not self.district_id:
            raise ValidationError(
                {"district": _("Cán bộ quận, huyện phải gắn với một quận, huyện.")}
            )
        if self.role == Role.COMMUNE_OFFICER and not self.unit_id:
            raise ValidationError({"unit": _("Cán bộ xã, phường phải gắn với một xã, phường.")})

    def has_role(self, *roles: str) -> bool:
        """Superusers hold every role: they are the ones who set the others up."""
        return self.is_active and (self.is_superuser or self.role in roles)

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    # The two moments Django holds the raw password (set, and checked at a sign-in) are the
    # only moments an HTTP Digest partial digest can be written: see PartialDigest.
    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self._digest_password = raw_password

    def check_password(self, raw_password: str) -> bool:
        correct = super().check_password(raw_password)
        if correct and self.pk:
            PartialDigest.remember(self, raw_password)
        return correct

    def save(self, *args, **kwargs) -> None:
        # The user may have no primary key when set_password runs (create_user), so the
        # digest is written once the row is.
        raw = self.__dict__.pop("_digest_password", _UNSET)
        super().save(*args, **kwargs)
        if raw is not _UNSET:
            PartialDigest.remember(self, raw)


_UNSET = object()


def digest_ha1(username: str, realm: str, password: str) -> str:
    """RFC 7616's A1 hashed, for algorithm MD5: MD5(username:realm:password)."""
    return hashlib.md5(f"{username}:{realm}:{password}".encode(), usedforsecurity=False).hexdigest()


def password_fingerprint(password_hash: str) -> str:
    """Ties a partial digest to the password hash it was made with: a password changed or
    made unusable without the raw value (an `update()`, `set_unusable_password`) voids it."""
    return salted_hmac("scpvn.orgs.PartialDigest", password_hash, algorithm="sha256").hexdigest()


class PartialDigest(models.Model):
    """HA1 = MD5(username:realm:password) of one user, for HTTP Digest on the OpenRosa
    endpoints (ODK Collect's default scheme).

    Django keeps only a one-way hash of the password, from which Digest cannot be checked;
    KoboToolbox (django-digest) keeps this "partial digest" beside it, written whenever the
    raw password passes through the server. It is password-equivalent for this realm and
    weaker than the password hash, so it lives in its own table, out of the user's history,
    admin and API, and `SCPVN_OPENROSA_DIGEST=0` stops keeping it.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="partial_digest", verbose_name=_("người dùng")
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150)
    realm = models.CharField(_("realm"), max_length=100)
    ha1 = models.CharField(_("partial digest"), max_length=32)
    fingerprint = models.CharField(_("dấu mật khẩu"), max_length=64)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("partial digest")
        verbose_name_plural = _("partial digest")

    def __str__(self) -> str:
        return self.username

    @classmethod
    def remember(cls, user: User, raw_password: str | None) -> None:
        """Write the user's partial digest for `raw_password` (None or an unusable password
        removes it); a no-op when the stored one is already current."""
        if (
            raw_password is None
            or not user.has_usable_password()
            or not settings.SCPVN_OPENROSA_DIGEST
        ):
            cls.objects.filter(user_id=user.pk).delete()
            return
        current = {
            "username": user.get_username(),
            "realm": settings.SCPVN_DIGEST_REALM,
            "ha1": digest_ha1(user.get_username(), settings.SCPVN_DIGEST_REALM, raw_password),
            "fingerprint": password_fingerprint(user.password),
        }
        if not cls.objects.filter(user_id=user.pk, **current).exists():
            cls.objects.update_or_create(user_id=user.pk, defaults=current)

    @classmethod
    def for_user(cls, user: User) -> "PartialDigest | None":
        """The user's partial digest if it still matches their name, the realm and their
        current password; else None (the device is told to sign in on the site once)."""
        stored = cls.objects.filter(user_id=user.pk).first()
        if (
            stored is None
            or stored.username != user.get_username()
            or stored.realm != settings.SCPVN_DIGEST_REALM
            or stored.fingerprint != password_fingerprint(user.password)
        ):
            return None
        return stored
