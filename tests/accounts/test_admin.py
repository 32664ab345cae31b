"""The admin for API clients and keys: lists, creation that shows the key once, revocation, no secrets shown."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.keys import secret_matches, split_key
from accounts.models import ApiKey
from tests.accounts.factories import issue_key

pytestmark = pytest.mark.django_db

KEYS = reverse("admin:accounts_apikey_changelist")
ADD_KEY = reverse("admin:accounts_apikey_add")
CLIENTS = reverse("admin:accounts_apiclient_changelist")


@pytest.fixture
def desk(client, admin_user):
    """A superuser: managing keys is not part of the desk roles' permissions."""
    client.force_login(admin_user)
    return client


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_an_editor_without_the_permission_is_refused_the_key_pages(client, editor):
    client.force_login(editor)

    assert client.get(KEYS).status_code == 403
    assert client.get(CLIENTS).status_code == 403


def test_the_key_list_shows_prefix_owner_state_and_last_use_but_no_secret(desk, editor, newsroom_key):
    mine = issue_key(user=editor)

    response = desk.get(KEYS)

    assert response.status_code == 200
    page = response.content.decode()
    for issued, owner in ((newsroom_key, "client Daily Newsroom"), (mine, f"user {editor.username}")):
        assert f"fck_{issued.api_key.prefix}" in page
        assert issued.key not in page
        assert issued.api_key.secret_hash not in page
        assert owner in page


@pytest.mark.parametrize("state", ["active", "expired", "revoked"])
def test_the_key_list_filters_by_state(desk, newsroom_key, state):
    response = desk.get(KEYS, {"status": state})

    assert response.status_code == 200
    assert (f"fck_{newsroom_key.api_key.prefix}" in response.content.decode()) is (state == "active")


def test_pages_render(desk, newsroom_key):
    for url in (KEYS, ADD_KEY, change_url(newsroom_key.api_key), CLIENTS, change_url(newsroom_key.api_key.client)):
        response = desk.get(url)
        assert response.status_code == 200, url
        assert newsroom_key.api_key.secret_hash not in response.content.decode()


def test_creating_a_key_shows_it_once_and_stores_its_digest(desk, admin_user, newsroom):
    response = desk.post(ADD_KEY, {"client": newsroom.pk, "name": "website", "rate": "", "expires_in_days": "90"})

    assert response.status_code == 302
    api_key = ApiKey.objects.get()
    (message,) = [str(m) for m in get_messages(response.wsgi_request) if "<code>" in str(m)]
    key = re.search(r"<code>(fck_\w+)</code>", message)[1]
    parts = split_key(key)
    assert parts.prefix == api_key.prefix
    assert secret_matches(parts.secret, api_key.secret_hash)
    assert "cannot be shown again" in message
    assert (api_key.client, api_key.name, api_key.created_by) == (newsroom, "website", admin_user)
    assert (api_key.expires_at - api_key.created_at).days == 90
    # The page after the save shows the message; no page after that shows the secret again.
    assert parts.secret in desk.get(KEYS).content.decode()
    assert parts.secret not in desk.get(KEYS).content.decode()
    assert parts.secret not in desk.get(change_url(api_key)).content.decode()


def test_creating_a_key_needs_exactly_one_owner(desk, editor, newsroom):
    for data in ({}, {"client": newsroom.pk, "user": editor.pk}):
        response = desk.post(ADD_KEY, {"name": "x", "rate": "", "expires_in_days": "", **data})
        assert response.status_code == 200
        assert "Choose a user or an API client" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_creating_a_key_with_a_bad_rate_shows_the_error_on_the_form(desk, newsroom):
    response = desk.post(ADD_KEY, {"client": newsroom.pk, "name": "", "rate": "lots", "expires_in_days": ""})

    assert response.status_code == 200
    assert "is not a rate" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_a_key_page_edits_only_its_name_and_rate(desk, newsroom_key):
    api_key = newsroom_key.api_key

    response = desk.post(
        change_url(api_key), {"name": "renamed", "rate": "10/minute", "prefix": "zzzzzzzz", "secret_hash": "0" * 64}
    )

    assert response.status_code == 302
    stored = ApiKey.objects.get()
    assert (stored.name, stored.rate) == ("renamed", "10/minute")
    assert (stored.prefix, stored.secret_hash) == (api_key.prefix, api_key.secret_hash)


def test_the_revoke_action_revokes_the_selected_keys(desk, newsroom_key):
    other = issue_key()

    response = desk.post(KEYS, {"action": "revoke", "_selected_action": [newsroom_key.api_key.pk]})

    assert response.status_code == 302
    assert ApiKey.objects.get(pk=newsroom_key.api_key.pk).revoked_at is not None
    assert ApiKey.objects.get(pk=other.api_key.pk).revoked_at is None
    assert "Revoked 1 key(s)." in [str(m) for m in get_messages(response.wsgi_request)]


def test_keys_cannot_be_deleted_only_revoked(desk, newsroom_key):
    api_key = newsroom_key.api_key

    assert desk.post(reverse("admin:accounts_apikey_delete", args=[api_key.pk]), {"post": "yes"}).status_code == 403
    assert "delete_selected" not in desk.get(KEYS).content.decode()
    assert ApiKey.objects.filter(pk=api_key.pk).exists()
