"""accounts.services: issuing and revoking keys, creating desk accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.keys import secret_matches, split_key
from accounts.models import ApiClient, ApiKey
from accounts.services import api_client_get_or_create, api_key_create, api_key_revoke, user_create
from factcheck.roles import EDITOR, FACT_CHECKER, is_editor, is_fact_checker, roles_of
from tests.accounts.factories import ApiClientFactory, issue_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "plover-quartz-87-lantern"


def test_a_new_key_takes_the_default_rate_and_lifetime(newsroom, settings):
    settings.API_KEY_DEFAULT_RATE = "50/minute"
    settings.API_KEY_DEFAULT_DAYS = 30
    now = timezone.now()

    issued = api_key_create(client=newsroom, now=now)

    assert issued.api_key.rate == "50/minute"
    assert issued.api_key.expires_at == now + dt.timedelta(days=30)
    parts = split_key(issued.key)
    assert parts.prefix == issued.api_key.prefix
    assert secret_matches(parts.secret, issued.api_key.secret_hash)


def test_a_new_key_takes_the_given_rate_lifetime_name_and_issuer(editor, newsroom):
    now = timezone.now()

    key = api_key_create(
        client=newsroom, rate="10/second", expires_in_days=7, name=" sync ", created_by=editor, now=now
    ).api_key

    assert (key.rate, key.expires_at, key.name, key.created_by) == (
        "10/second",
        now + dt.timedelta(days=7),
        "sync",
        editor,
    )


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_it_refuses_a_lifetime_out_of_range(newsroom, days):
    with pytest.raises(ValidationError, match="from 1 to 3650 days"):
        api_key_create(client=newsroom, expires_in_days=days)
    assert not ApiKey.objects.exists()


def test_it_refuses_a_malformed_rate(newsroom):
    with pytest.raises(ValidationError) as caught:
        api_key_create(client=newsroom, rate="fast")
    assert "rate" in caught.value.message_dict
    assert not ApiKey.objects.exists()


def test_it_refuses_a_key_with_two_owners_or_none(newsroom, editor):
    with pytest.raises(ValidationError, match="either to a user or to an API client"):
        api_key_create(client=newsroom, user=editor)
    with pytest.raises(ValidationError, match="either to a user or to an API client"):
        api_key_create()


def test_it_refuses_a_key_that_could_not_work(newsroom):
    with pytest.raises(ValidationError, match="inactive"):
        api_key_create(user=UserFactory(is_active=False))
    with pytest.raises(ValidationError, match="deactivated"):
        api_key_create(client=ApiClientFactory(is_active=False))


def test_revoking_records_the_first_time_only(newsroom_key):
    key = newsroom_key.api_key
    first = timezone.now()

    assert api_key_revoke(api_key=key, now=first) is True
    assert api_key_revoke(api_key=ApiKey.objects.get(pk=key.pk), now=first + dt.timedelta(hours=1)) is False

    assert ApiKey.objects.get(pk=key.pk).revoked_at == first


def test_revoking_one_key_leaves_the_clients_other_keys_alone(newsroom):
    old, new = issue_key(client=newsroom).api_key, issue_key(client=newsroom).api_key

    api_key_revoke(api_key=old)

    assert list(ApiKey.objects.usable(timezone.now())) == [new]


def test_a_client_is_found_by_its_name_in_any_case_or_created():
    client, created = api_client_get_or_create(name="Fact Desk Weekly", contact="ops@example.org")
    again, created_again = api_client_get_or_create(name="  fact desk weekly ")

    assert (created, created_again) == (True, False)
    assert again == client
    assert ApiClient.objects.get().contact == "ops@example.org"


@pytest.mark.parametrize(("role", "check"), [(EDITOR, is_editor), (FACT_CHECKER, is_fact_checker)])
def test_a_new_desk_member_is_staff_in_the_roles_group(role, check):
    user = user_create(username="nina", role=role, password=STRONG, email="nina@example.org")

    user = get_user_model().objects.get(pk=user.pk)
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password(STRONG)
    assert roles_of(user) == {role}
    assert check(user)


def test_a_fact_checker_is_not_an_editor():
    user = user_create(username="nina", role=FACT_CHECKER, password=STRONG)

    assert not is_editor(get_user_model().objects.get(pk=user.pk))


@pytest.mark.parametrize(
    "password",
    ["", "short1", "password123", "12345678901", "nina-the-checker"],
    ids=["empty", "too-short", "common", "numeric", "like-the-username"],
)
def test_it_refuses_a_weak_password(password):
    with pytest.raises(ValidationError) as caught:
        user_create(username="nina-the-checker", role=FACT_CHECKER, password=password)

    assert "password" in caught.value.message_dict
    assert not get_user_model().objects.exists()


def test_it_refuses_an_unknown_role_or_a_taken_username(editor):
    with pytest.raises(ValidationError, match="Role must be one of"):
        user_create(username="nina", role="admin", password=STRONG)
    with pytest.raises(ValidationError, match="already exists"):
        user_create(username=editor.username, role=FACT_CHECKER, password=STRONG)
