"""Keys for the fixed cast: a newsroom client (reads published data), and the editor's own key."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.services import IssuedKey
from tests.accounts.factories import ApiClientFactory, issue_key


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def newsroom(db):
    return ApiClientFactory(name="Daily Newsroom")


@pytest.fixture
def newsroom_key(newsroom) -> IssuedKey:
    return issue_key(client=newsroom, name="website")


@pytest.fixture
def editor_key(editor) -> IssuedKey:
    return issue_key(user=editor, name="editor's scripts")


@pytest.fixture
def newsroom_client(newsroom_key) -> APIClient:
    return bearer(newsroom_key.key)


@pytest.fixture
def editor_key_client(editor_key) -> APIClient:
    return bearer(editor_key.key)
