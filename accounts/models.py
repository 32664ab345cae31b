"""API clients, their keys, and the request counters that rate-limit them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.keys import HASH_REGEX, KEY_MARKER, PREFIX_REGEX
from accounts.querysets import ApiKeyQuerySet, RateCounterQuerySet
from accounts.rates import RATE_REGEX, validate_rate

USER = settings.AUTH_USER_MODEL

# last_used_at is written at most this often per key, so a busy key does not turn every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class ApiClient(models.Model):
    """An organisation that reads the published data over the API (a newsroom, a platform, a research group).

    A client is not on the desk and sees only what is published. It holds any number of keys, so a key can be
    rotated (issue the new one, then revoke the old) without a gap; deactivating the client stops all its keys.
    """

    name = models.CharField(max_length=100, help_text="Unique, case-insensitively; used by `apikey create --client`.")
    contact = models.CharField(max_length=200, blank=True, help_text="Who to write to about this client's keys.")
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Untick to refuse all of this client's keys at once.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "API client"
        constraints = [
            models.UniqueConstraint(
                Lower("name"), name="apiclient_name_unique", violation_error_message="An API client has this name."
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="apiclient_name_not_blank", violation_error_message="A client needs a name."
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A credential for `Authorization: Bearer fck_<prefix>_<secret>`; only a SHA-256 digest of the secret is kept.

    A user's key acts as that user (a desk member's key sees unpublished work); a client's key sees what anonymous
    readers see. Keys always expire, can be revoked, and carry their own rate limit.
    """

    prefix = models.CharField(max_length=8, editable=False, help_text="Names the key publicly; not a secret.")
    secret_hash = models.CharField(max_length=64, editable=False)
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys", help_text="Acts as this user."
    )
    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True, help_text="What the key is for, e.g. 'nightly sync'.")
    rate = models.CharField(
        max_length=20, validators=[validate_rate], help_text="Requests allowed per period, e.g. 1000/hour."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Updated at most once a minute."
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API key"
        constraints = [
            models.UniqueConstraint(fields=["prefix"], name="apikey_prefix_unique"),
            models.CheckConstraint(
                condition=Q(user__isnull=False, client__isnull=True) | Q(user__isnull=True, client__isnull=False),
                name="apikey_exactly_one_owner",
                violation_error_message="A key belongs either to a user or to an API client, not both or neither.",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="apikey_expires_after_creation",
                violation_error_message="A key must expire after it is created.",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("created_at")),
                name="apikey_revoked_after_creation",
                violation_error_message="A key cannot be revoked before it is created.",
            ),
            models.CheckConstraint(
                condition=Q(prefix__regex=PREFIX_REGEX),
                name="apikey_prefix_format",
                violation_error_message="A key's prefix is 8 lowercase letters or digits.",
            ),
            models.CheckConstraint(
                condition=Q(secret_hash__regex=HASH_REGEX),
                name="apikey_secret_hash_format",
                violation_error_message="A key's secret is stored as a SHA-256 hex digest.",
            ),
            models.CheckConstraint(
                condition=Q(rate__regex=RATE_REGEX),
                name="apikey_rate_format",
                violation_error_message="A rate reads like 1000/hour (per second, minute, hour or day).",
            ),
        ]
        indexes = [
            # `apikey list --user/--client` and the admin's owner pages; keys per owner are few.
            models.Index(fields=["user"], name="apikey_user_idx"),
            models.Index(fields=["client"], name="apikey_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{KEY_MARKER}_{self.prefix}"

    @property
    def owner(self) -> object:
        return self.user if self.user_id is not None else self.client

    @property
    def owner_label(self) -> str:
        if self.user_id is not None:
            return f"user {self.user}"
        return f"client {self.client}"

    def status(self, now: dt.datetime | None = None) -> str:
        """active, revoked or expired: what a desk member reads in lists."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "active"

    def refusal(self, now: dt.datetime) -> str | None:
        """Why this key may not be used now, in words for its holder; None when it may."""
        if self.revoked_at is not None:
            return "This API key has been revoked."
        if self.expires_at <= now:
            return f"This API key expired at {self.expires_at:%Y-%m-%d %H:%M} UTC."
        if self.client_id is not None and not self.client.is_active:
            return "This API key's client has been deactivated."
        if self.user_id is not None and not self.user.is_active:
            return "This API key's user account is inactive."
        return None

    def touch(self, now: dt.datetime) -> None:
        """Record a use, writing at most once per LAST_USED_RESOLUTION.

        The condition is in the UPDATE itself, so concurrent requests of one key write once between them.
        """
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_RESOLUTION:
            return
        ApiKey.objects.filter(pk=self.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        self.last_used_at = now


class RateCounter(models.Model):
    """Requests counted for one client (a key, a user or an address) in its current fixed window.

    One row per client, updated by a single atomic upsert (RateCounterQuerySet.hit). The table is UNLOGGED
    (migration 0003): counters are worthless after a crash, and skipping the write-ahead log keeps a write per
    request cheap.
    """

    key = models.CharField(primary_key=True, max_length=120)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    hits = models.PositiveIntegerField()

    objects = RateCounterQuerySet.as_manager()

    class Meta:
        indexes = [
            # purge_rate_counters deletes the rows whose window has ended.
            models.Index(fields=["window_end"], name="ratecounter_window_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.hits} since {self.window_start:%Y-%m-%d %H:%M:%S}"
