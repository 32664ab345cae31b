"""No lost updates under real concurrency: 20 threads, each with its own PostgreSQL connection, act on one claim
with one ETag at the same instant. Exactly one succeeds; every other gets 412 and writes nothing.

These tests commit for real (transaction=True), so the threads see each other's work. pytest-django runs such tests
last and empties every table after each, data migrations' rows included, so each test puts back the ones it needs.
"""

from __future__ import annotations

import importlib
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections
from rest_framework.test import APIClient

from claims.models import Claim, ReviewEvent, Verdict
from factcheck.preconditions import etag_for
from factcheck.roles import ROLES
from tests.factories import ClaimFactory, EditorFactory, draft_in_review

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


@pytest.fixture(autouse=True)
def _migration_data(transactional_db: None) -> None:
    """The roles (a group per role is all the checks need) and the rating scales, as the data migrations make them."""
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    importlib.import_module("claims.migrations.0002_rating_scales").create_scales(apps, None)


def at_once(work: Callable[[int], int]) -> list[int]:
    """Run work(0) ... work(19) in 20 threads released together by a barrier; their results in order."""
    barrier = threading.Barrier(THREADS)
    results: list[int | None] = [None] * THREADS
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except BaseException as error:  # re-raised in the test's thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]


def client_for(user_id: int) -> APIClient:
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(pk=user_id))
    return client


def test_twenty_editors_approving_with_one_etag_make_one_approval():
    draft = draft_in_review()
    editors = [EditorFactory().pk for _ in range(THREADS)]
    etag = etag_for(Claim.objects.get(pk=draft.claim_id))
    url = f"/api/v1/claims/{draft.claim_id}/approve/"

    statuses = at_once(lambda i: client_for(editors[i]).post(url, {}, format="json", HTTP_IF_MATCH=etag).status_code)

    assert Counter(statuses) == {200: 1, 412: THREADS - 1}
    winner = editors[statuses.index(200)]
    assert Verdict.objects.get(pk=draft.pk).approver_id == winner
    assert list(ReviewEvent.objects.filter(transition="approve").values_list("actor_id", flat=True)) == [winner]


def test_twenty_patches_with_one_etag_make_one_change_and_retries_lose_nothing():
    claim = ClaimFactory(tags=[])
    editor = EditorFactory().pk
    url = f"/api/v1/claims/{claim.pk}/"
    etag = etag_for(Claim.objects.get(pk=claim.pk))  # what every writer read before anyone wrote
    first_round: list[int] = [0] * THREADS

    def add_my_tag(index: int) -> int:
        # Read, change, write back with the ETag read; on 412 read again and reapply. Without If-Match the list
        # one writer sent would overwrite the tags another had just added.
        client = client_for(editor)
        seen, tags = etag, []
        for attempt in range(THREADS):
            response = client.patch(url, {"tags": [*tags, f"t{index}"]}, format="json", HTTP_IF_MATCH=seen)
            if attempt == 0:
                first_round[index] = response.status_code
            if response.status_code == 200:
                return attempt
            assert response.status_code == 412, response.content
            again = client.get(url)
            seen, tags = again["ETag"], again.json()["tags"]
        raise AssertionError("no success after as many attempts as there are writers")

    attempts = at_once(add_my_tag)

    assert Counter(first_round) == {200: 1, 412: THREADS - 1}
    assert attempts.count(0) == 1
    assert sorted(Claim.objects.get(pk=claim.pk).tags) == sorted(f"t{index}" for index in range(THREADS))
