"""The claim page's possible duplicates and related claims, and its "merge as duplicate" button."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimRelation, ClaimStatus, ReviewEvent
from factcheck.admin_utils import LOADED_VERSION, object_version
from tests.claims.test_admin import change_url
from tests.claims.test_related import LIGHT_EDIT, ORIGINAL, PARAPHRASE
from tests.claims.test_workflow_admin import logged_in
from tests.factories import ClaimFactory, published_verdict

pytestmark = pytest.mark.django_db


def merge_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_merge_duplicate", args=[claim.pk])


def merge(client: Client, claim: Claim, original: Claim, **post: Any) -> list[str]:
    """Post the panel's button for `original`, as the page rendered it, and return the messages shown."""
    data = {"of": str(original.pk), LOADED_VERSION: object_version(Claim.objects.get(pk=claim.pk)), **post}
    response = client.post(merge_url(claim), data, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def pair() -> tuple[Claim, Claim]:
    """A new claim and the published claim it repeats."""
    original = ClaimFactory(statement=ORIGINAL, status=ClaimStatus.PUBLISHED)
    published_verdict(original)
    return ClaimFactory(statement=LIGHT_EDIT), original


def test_the_claim_page_lists_possible_duplicates_with_score_reason_status_rating_and_link(editor, pair):
    claim, original = pair
    paraphrase = ClaimFactory(statement=PARAPHRASE, claimant=None)
    response = logged_in(editor).get(change_url(claim))
    assert response.status_code == 200
    rows = response.context["related_panel"]["rows"]
    assert [row["claim"].pk for row in rows] == [original.pk, paraphrase.pk]
    assert [row["kind"] for row in rows] == ["duplicate", "related"]
    html = response.content.decode()
    assert "Possible duplicates and related claims" in html
    assert f'href="{change_url(original)}"' in html
    assert rows[0]["reason"] in html
    assert original.verdicts.get().rating.label in html
    assert "Published" in html
    assert html.count("Merge as duplicate") == 2
    assert f'action="{merge_url(claim)}"' in html


def test_an_editor_merges_a_claim_into_its_original(editor, pair):
    claim, original = pair
    messages = merge(logged_in(editor), claim, original)
    assert messages == [f"{claim}: marked a duplicate of claim {original.pk}."]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DUPLICATE
    relation = ClaimRelation.objects.get(from_claim=claim, to_claim=original, kind="duplicate_of")
    assert relation.state == ClaimRelation.State.CONFIRMED
    assert relation.decided_by == editor
    assert ReviewEvent.objects.filter(claim=claim, transition="mark_duplicate", actor=editor).exists()


def test_a_fact_checker_sees_who_may_merge_and_is_told_so_if_they_try(fact_checker, pair):
    claim, original = pair
    client = logged_in(fact_checker)
    response = client.get(change_url(claim))
    assert "Merge as duplicate" not in response.content.decode()
    assert "Only editors" in response.context["related_panel"]["note"]
    messages = merge(client, claim, original)
    assert len(messages) == 1
    assert "Only editors" in messages[0]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.NEW


def test_a_claim_past_triage_shows_no_merge_button(editor, pair):
    claim, _ = pair
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.RESEARCHING)
    response = logged_in(editor).get(change_url(claim))
    assert "Merge as duplicate" not in response.content.decode()
    assert "is researching" in response.context["related_panel"]["note"]


def test_merging_into_a_duplicate_is_refused_with_the_services_message(editor, pair):
    claim, original = pair
    Claim.objects.filter(pk=original.pk).update(status=ClaimStatus.DUPLICATE)
    messages = merge(logged_in(editor), claim, original)
    assert "is itself a duplicate" in messages[0]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.NEW


def test_a_merge_over_a_change_the_editor_has_not_seen_is_refused(editor, pair):
    claim, original = pair
    messages = merge(logged_in(editor), claim, original, **{LOADED_VERSION: '"stale"'})
    assert "changed since you opened the page" in messages[0]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.NEW


def test_merging_into_a_claim_that_does_not_exist_says_so(editor, pair):
    claim, _ = pair
    response = logged_in(editor).post(merge_url(claim), {"of": "999999"}, follow=True)
    assert "there is no claim '999999'" in str(next(iter(response.context["messages"])))
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.NEW


def test_get_does_not_merge(editor, pair):
    claim, original = pair
    response = logged_in(editor).get(merge_url(claim), {"of": original.pk})
    assert response.status_code == 405
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.NEW


def test_the_merge_needs_the_csrf_token(editor, pair):
    claim, original = pair
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(merge_url(claim), {"of": original.pk})
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.NEW
