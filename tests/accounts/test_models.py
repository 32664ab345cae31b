"""API client and key invariants, each enforced by a named database constraint, and the key's own rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.keys import hash_secret
from accounts.models import ApiClient, ApiKey
from tests.accounts.factories import ApiClientFactory, issue_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _violates(constraint: str, write) -> None:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    assert caught.value.__cause__.diag.constraint_name == constraint


def _update(api_key: ApiKey, **fields) -> None:
    ApiKey.objects.filter(pk=api_key.pk).update(**fields)


def test_a_key_cannot_belong_to_both_a_user_and_a_client(newsroom_key, editor):
    _violates("apikey_exactly_one_owner", lambda: _update(newsroom_key.api_key, user=editor))


def test_a_key_cannot_belong_to_nobody(newsroom_key):
    _violates("apikey_exactly_one_owner", lambda: _update(newsroom_key.api_key, client=None))


def test_a_key_must_expire_after_it_was_created(newsroom_key):
    created = newsroom_key.api_key.created_at
    _violates("apikey_expires_after_creation", lambda: _update(newsroom_key.api_key, expires_at=created))


def test_a_key_cannot_be_revoked_before_it_was_created(newsroom_key):
    before = newsroom_key.api_key.created_at - dt.timedelta(seconds=1)
    _violates("apikey_revoked_after_creation", lambda: _update(newsroom_key.api_key, revoked_at=before))


def test_two_keys_cannot_share_a_prefix(newsroom_key):
    other = issue_key().api_key
    _violates("apikey_prefix_unique", lambda: _update(other, prefix=newsroom_key.api_key.prefix))


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("prefix", "ABCDEFGH", "apikey_prefix_format"),
        ("prefix", "abc", "apikey_prefix_format"),
        ("secret_hash", "not-a-digest", "apikey_secret_hash_format"),
        ("secret_hash", "A" * 64, "apikey_secret_hash_format"),
        ("rate", "lots", "apikey_rate_format"),
        ("rate", "0/hour", "apikey_rate_format"),
    ],
)
def test_it_rejects_a_malformed_column_written_around_the_model(newsroom_key, field, value, constraint):
    _violates(constraint, lambda: _update(newsroom_key.api_key, **{field: value}))


def test_client_names_are_unique_in_any_case(newsroom):
    _violates("apiclient_name_unique", lambda: ApiClient.objects.create(name=newsroom.name.upper()))


def test_a_client_needs_a_name():
    _violates("apiclient_name_not_blank", lambda: ApiClient.objects.create(name=""))


def test_full_clean_reports_the_constraints_message_before_the_database_refuses(newsroom_key, editor):
    key = newsroom_key.api_key
    key.user = editor

    with pytest.raises(ValidationError, match="either to a user or to an API client"):
        key.full_clean()


def test_the_stored_row_holds_the_digest_and_never_the_secret(newsroom_key):
    secret = newsroom_key.key.split("_", 2)[2]
    row = ApiKey.objects.filter(pk=newsroom_key.api_key.pk).values().get()

    assert row["secret_hash"] == hash_secret(secret)
    assert all(secret not in str(value) for value in row.values())
    assert str(newsroom_key.api_key) == f"fck_{row['prefix']}"


def test_a_key_says_why_it_may_not_be_used():
    now = timezone.now()
    key = issue_key(now=now - dt.timedelta(days=2), expires_in_days=1).api_key
    assert key.status(now) == "expired"
    assert key.refusal(now).startswith("This API key expired at")

    key = issue_key().api_key
    key.revoked_at = now
    assert key.status(now) == "revoked"
    assert key.refusal(now) == "This API key has been revoked."

    client = ApiClientFactory(is_active=False)
    assert issue_key(client=ApiClientFactory()).api_key.refusal(now) is None
    key = ApiKey(client=client, expires_at=now + dt.timedelta(days=1))
    assert key.refusal(now) == "This API key's client has been deactivated."

    key = ApiKey(user=UserFactory(is_active=False), expires_at=now + dt.timedelta(days=1))
    assert key.refusal(now) == "This API key's user account is inactive."


def test_last_use_is_written_at_most_once_a_minute(newsroom_key, django_assert_num_queries):
    key = newsroom_key.api_key
    now = timezone.now()

    with django_assert_num_queries(1):
        key.touch(now)
    with django_assert_num_queries(0):
        key.touch(now + dt.timedelta(seconds=59))
    with django_assert_num_queries(1):
        key.touch(now + dt.timedelta(seconds=60))

    key.refresh_from_db()
    assert key.last_used_at == now + dt.timedelta(seconds=60)


def test_a_stale_copy_of_a_key_does_not_move_last_use_back_within_the_minute(newsroom_key):
    now = timezone.now()
    fresh, stale = ApiKey.objects.get(pk=newsroom_key.api_key.pk), ApiKey.objects.get(pk=newsroom_key.api_key.pk)
    fresh.touch(now)

    stale.touch(now + dt.timedelta(seconds=30))  # another process, which had not seen the first write

    assert ApiKey.objects.get(pk=fresh.pk).last_used_at == now
