"""`Authorization: Bearer <key>`: which keys are accepted, what refused ones answer, and what each key sees."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.keys import SECRET_LENGTH
from accounts.models import ApiKey
from accounts.services import api_key_revoke
from tests.accounts.conftest import bearer
from tests.accounts.factories import ApiClientFactory, issue_key
from tests.factories import ClaimFactory, StaffFactory, UserFactory, VerdictFactory, published_verdict

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"
SOURCES = "/api/v1/sources/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def claims(db):
    """One published claim and one in research."""
    return published_verdict().claim, ClaimFactory(status="researching")


def _refused(response, message: str, error: str = "invalid_token") -> None:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == f'Bearer realm="factcheck", error="{error}"'
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == "authentication_failed"
    assert message in body["detail"]


# Accepted keys and what they see


def test_a_client_key_reads_only_published_claims(newsroom_client, claims):
    published, unpublished = claims

    assert ids(newsroom_client.get(CLAIMS)) == {published.pk}
    assert newsroom_client.get(f"{CLAIMS}{published.pk}/").status_code == 200
    hidden = newsroom_client.get(f"{CLAIMS}{unpublished.pk}/")
    assert hidden.status_code == 404
    assert hidden.json()["code"] == "not_found"


def test_a_client_key_reads_only_published_verdicts(newsroom_client, claims):
    published, unpublished = claims
    draft = VerdictFactory(claim=unpublished)

    verdicts = {row["id"] for row in newsroom_client.get("/api/v1/verdicts/").json()["results"]}
    assert draft.pk not in verdicts
    assert verdicts == {published.verdicts.get().pk}


def test_a_client_key_may_not_write(newsroom_client):
    response = newsroom_client.post(CLAIMS, {"statement": "Anything."}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_an_editors_key_acts_as_the_editor_and_sees_unpublished_work(editor_key_client, claims):
    published, unpublished = claims

    assert ids(editor_key_client.get(CLAIMS)) == {published.pk, unpublished.pk}
    assert editor_key_client.get(f"{CLAIMS}{unpublished.pk}/").status_code == 200
    # Allowed to write: the body is what is wrong, not the caller.
    assert editor_key_client.post(CLAIMS, {}, format="json").status_code == 400


def test_a_fact_checkers_key_sees_unpublished_work(claims):
    client = bearer(issue_key(user=StaffFactory()).key)

    assert ids(client.get(CLAIMS)) == {claim.pk for claim in claims}


def test_a_key_of_a_user_outside_the_desk_sees_what_the_public_sees(claims):
    client = bearer(issue_key(user=UserFactory()).key)

    assert ids(client.get(CLAIMS)) == {claims[0].pk}
    assert client.get(f"{CLAIMS}{claims[1].pk}/").status_code == 404


def test_a_used_key_records_its_last_use(newsroom_key, newsroom_client):
    assert newsroom_key.api_key.last_used_at is None

    assert newsroom_client.get(SOURCES).status_code == 200

    assert ApiKey.objects.get(pk=newsroom_key.api_key.pk).last_used_at is not None


def test_a_key_adds_its_lookup_and_rate_counter_to_a_requests_queries(newsroom_client, django_assert_num_queries):
    # The source list itself is one query (tests/sources). A key adds: SELECT the key with its owner, and the
    # rate counter's upsert; the first use in a minute also UPDATEs last_used_at.
    with django_assert_num_queries(4):
        newsroom_client.get(SOURCES)
    with django_assert_num_queries(3):
        newsroom_client.get(SOURCES)


def test_basic_authentication_still_works_beside_keys(editor, claims):
    client = APIClient()
    token = base64.b64encode(f"{editor.username}:correct horse battery staple".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")

    assert ids(client.get(CLAIMS)) == {claim.pk for claim in claims}


def test_anonymous_writes_are_challenged_with_every_scheme_the_api_accepts():
    response = APIClient().post(CLAIMS, {}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api", Bearer realm="factcheck"'


# Refused keys: always 401 with a reason, never anonymous, never 500


def test_an_unknown_key_is_refused(claims):
    _refused(bearer("fck_abcdefgh_" + "a" * SECRET_LENGTH).get(CLAIMS), "Invalid API key.")


def test_a_known_prefix_with_the_wrong_secret_is_refused(newsroom_key):
    forged = f"fck_{newsroom_key.api_key.prefix}_" + "a" * SECRET_LENGTH

    _refused(bearer(forged).get(CLAIMS), "Invalid API key.")


def test_a_revoked_key_is_refused(newsroom_key, newsroom_client):
    api_key_revoke(api_key=newsroom_key.api_key)

    _refused(newsroom_client.get(CLAIMS), "This API key has been revoked.")


def test_an_expired_key_is_refused():
    issued = issue_key(now=timezone.now() - dt.timedelta(days=31), expires_in_days=30)

    _refused(bearer(issued.key).get(CLAIMS), "This API key expired at")


def test_a_key_of_a_deactivated_client_is_refused():
    client = ApiClientFactory()
    issued = issue_key(client=client)
    client.is_active = False
    client.save()

    _refused(bearer(issued.key).get(CLAIMS), "client has been deactivated")


def test_a_key_of_an_inactive_user_is_refused():
    user = StaffFactory()
    issued = issue_key(user=user)
    user.is_active = False
    user.save()

    _refused(bearer(issued.key).get(CLAIMS), "user account is inactive")


def test_a_refused_key_is_refused_on_writes_too_before_any_permission_check(newsroom_key, newsroom_client):
    api_key_revoke(api_key=newsroom_key.api_key)

    _refused(newsroom_client.post(CLAIMS, {"statement": "x"}, format="json"), "revoked")


@pytest.mark.parametrize(
    ("header", "message", "error"),
    [
        (b"Bearer", "expected 'Bearer <key>'", "invalid_request"),
        (b"Bearer fck_abcdefgh_x fck_abcdefgh_y", "expected 'Bearer <key>'", "invalid_request"),
        (b"Bearer not-a-key", "Malformed API key", "invalid_token"),
        (b"Bearer fck_abcdefgh_tooshort", "Malformed API key", "invalid_token"),
        (b"bearer fck_ABCDEFGH_" + b"a" * SECRET_LENGTH, "Malformed API key", "invalid_token"),
        (b"Bearer fck_abcdefgh_" + "é".encode() * SECRET_LENGTH, "Malformed API key", "invalid_token"),
        (
            b"Token fck_abcdefgh_" + b"a" * SECRET_LENGTH,
            "Send the API key as 'Authorization: Bearer <key>'",
            "invalid_request",
        ),
        (
            b"fck_abcdefgh_" + b"a" * SECRET_LENGTH,
            "Send the API key as 'Authorization: Bearer <key>'",
            "invalid_request",
        ),
    ],
    ids=[
        "no-key",
        "two-keys",
        "not-a-key",
        "short-secret",
        "uppercase-prefix",
        "non-ascii",
        "token-scheme",
        "no-scheme",
    ],
)
def test_a_malformed_header_is_refused(claims, header, message, error):
    response = APIClient().get(CLAIMS, HTTP_AUTHORIZATION=header.decode("latin-1"))

    _refused(response, message, error)


def test_another_scheme_without_a_key_is_left_to_the_other_authenticators(claims):
    response = APIClient().get(CLAIMS, HTTP_AUTHORIZATION="Token something-else")

    assert response.status_code == 200
    assert ids(response) == {claims[0].pk}
