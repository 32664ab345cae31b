"""Every write with a rule in accounts, used alike by the management commands and the admin.

Each service is keyword-only, validates with full_clean (so a constraint's message reaches the caller as a
field error before the database has to refuse) and writes inside one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.keys import KeyParts, hash_secret, new_prefix, new_secret
from accounts.models import ApiClient, ApiKey
from factcheck.roles import ROLES

MAX_KEY_DAYS = 3650


@dataclass(frozen=True)
class IssuedKey:
    """A key just created: `key` is the full key, shown once and stored nowhere."""

    api_key: ApiKey
    key: str


@transaction.atomic
def user_create(*, username: str, role: str, password: str, email: str = "") -> Any:
    """A desk member: staff (so the admin opens) in the role's group, with a password Django's validators accept."""
    if role not in ROLES:
        raise ValidationError({"role": f"Role must be one of {', '.join(ROLES)}, not {role!r}."})
    User = get_user_model()
    user = User(username=username, email=email, is_staff=True)
    user.full_clean(exclude=["password"])
    # The validators see the user, so a password resembling the username or e-mail is refused too.
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


@transaction.atomic
def api_client_get_or_create(*, name: str, contact: str = "") -> tuple[ApiClient, bool]:
    """The client with this name (in any case), or a new one."""
    client = ApiClient.objects.filter(name__iexact=name.strip()).first()
    if client is not None:
        return client, False
    client = ApiClient(name=name.strip(), contact=contact)
    client.full_clean()
    client.save()
    return client, True


@transaction.atomic
def api_key_create(
    *,
    user: Any | None = None,
    client: ApiClient | None = None,
    name: str = "",
    expires_in_days: int | None = None,
    rate: str | None = None,
    created_by: Any | None = None,
    now: dt.datetime | None = None,
) -> IssuedKey:
    """A new key for a user or a client. The caller shows `IssuedKey.key` once; only its digest is stored.

    Keys always expire (API_KEY_DEFAULT_DAYS unless given, at most ten years): a key nobody remembers should not
    stay valid forever.
    """
    days = settings.API_KEY_DEFAULT_DAYS if expires_in_days is None else expires_in_days
    if not 1 <= days <= MAX_KEY_DAYS:
        raise ValidationError({"expires_at": f"A key lasts from 1 to {MAX_KEY_DAYS} days, not {days}."})
    now = now or timezone.now()
    parts = KeyParts(_unused_prefix(), new_secret())
    api_key = ApiKey(
        prefix=parts.prefix,
        secret_hash=hash_secret(parts.secret),
        user=user,
        client=client,
        name=name.strip(),
        rate=rate or settings.API_KEY_DEFAULT_RATE,
        created_at=now,
        created_by=created_by,
        expires_at=now + dt.timedelta(days=days),
    )
    api_key.full_clean()
    if user is not None and not user.is_active:
        raise ValidationError({"user": f"User {user} is inactive; a key would not work."})
    if client is not None and not client.is_active:
        raise ValidationError({"client": f"Client {client} is deactivated; a key would not work."})
    api_key.save()
    return IssuedKey(api_key, parts.full)


def _unused_prefix() -> str:
    # 36**8 ≈ 2.8e12 prefixes: a clash is unlikely but cheap to rule out; the unique constraint covers the race.
    while True:
        prefix = new_prefix()
        if not ApiKey.objects.filter(prefix=prefix).exists():
            return prefix


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, now: dt.datetime | None = None) -> bool:
    """Revoke the key from now on. False (and nothing written) when it was revoked already.

    The row is locked so two revocations at once record the first time, not the last.
    """
    locked = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if locked.revoked_at is not None:
        api_key.revoked_at = locked.revoked_at
        return False
    locked.revoked_at = max(now or timezone.now(), locked.created_at)
    locked.save(update_fields=["revoked_at"])
    api_key.revoked_at = locked.revoked_at
    return True
