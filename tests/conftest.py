"""The fixed cast of users every test may use, and API clients logged in as each of them."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import EditorFactory, StaffFactory, UserFactory


@pytest.fixture
def editor(db):
    return EditorFactory(username="edna-editor")


@pytest.fixture
def fact_checker(db):
    return StaffFactory(username="fred-factchecker")


@pytest.fixture
def outsider(db):
    """Logged in, but not on the desk: sees what anonymous readers see."""
    return UserFactory(username="olga-outsider")


class DeskClient(APIClient):
    """An APIClient whose forced user behaves as if loaded afresh on every request, as real authentication does:
    roles cached on the user object by one request are not carried into the next."""

    def request(self, **kwargs):
        user = getattr(self.handler, "_force_user", None)
        if user is not None and hasattr(user, "_desk_roles"):
            del user._desk_roles
        return super().request(**kwargs)


@pytest.fixture
def anon_client() -> APIClient:
    return DeskClient()


@pytest.fixture
def editor_client(editor) -> APIClient:
    client = DeskClient()
    client.force_authenticate(editor)
    return client


@pytest.fixture
def fact_checker_client(fact_checker) -> APIClient:
    client = DeskClient()
    client.force_authenticate(fact_checker)
    return client


@pytest.fixture
def outsider_client(outsider) -> APIClient:
    client = DeskClient()
    client.force_authenticate(outsider)
    return client


@pytest.fixture(autouse=True)
def _plain_http_test_client(settings) -> None:
    # Tests run with production settings (DJANGO_DEBUG off); the test client speaks plain http, which the
    # production HTTPS redirect would answer with 301 for every request.
    settings.SECURE_SSL_REDIRECT = False
    # WhiteNoise scans every app's static files each time a test client builds its middleware (~0.1 s a client);
    # no test fetches static files.
    settings.WHITENOISE_USE_FINDERS = False
    # The manifest storage needs `collectstatic`, a deployment step; pages rendered in tests link plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # PBKDF2's deliberate slowness (~0.5 s a user) buys nothing in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_rate_limits_for_anonymous_and_signed_in_users(settings) -> None:
    # Rate limiting (accounts.throttling) costs one query per API request; tests of other behaviour turn it off so
    # their query counts measure the view alone, and so a long test never runs into the anonymous limit.
    # tests/accounts/test_throttling.py turns it back on. Keys keep their own rates.
    settings.API_ANON_RATE = None
    settings.API_USER_RATE = None
