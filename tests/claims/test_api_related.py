"""GET /api/v1/claims/{id}/related/: the desk sees every claim live; readers see published claims as approved, and
nothing of an unpublished claim or an unpublished rewording."""

from __future__ import annotations

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimStatus
from tests.claims.test_related import LIGHT_EDIT, ORIGINAL, PARAPHRASE
from tests.factories import ClaimFactory, ClaimRelationFactory, published_verdict

pytestmark = pytest.mark.django_db

READERS = ["anon_client", "outsider_client"]
REWORDED = "The ministry now says that fewer than 500 soldiers were wounded in the border clashes last spring."


def related(client, claim: Claim, **params):
    return client.get(f"/api/v1/claims/{claim.pk}/related/", params)


def ids(items: list[dict]) -> list[int]:
    return [item["id"] for item in items]


def published(statement: str, **kwargs) -> Claim:
    claim = ClaimFactory(statement=statement, status=ClaimStatus.PUBLISHED, **kwargs)
    published_verdict(claim)
    return claim


def reword(claim: Claim, statement: str) -> None:
    """The desk changes the live statement after approval: readers keep the approved words until the next version."""
    Claim.objects.filter(pk=claim.pk).update(statement=statement)


def test_the_desk_gets_duplicates_and_related_claims_with_score_reason_claimant_and_rating(editor_client):
    original = published(ORIGINAL)
    paraphrase = ClaimFactory(statement=PARAPHRASE, claimant=None)
    subject = ClaimFactory(statement=LIGHT_EDIT, claimant=None)
    response = related(editor_client, subject)
    assert response.status_code == 200
    body = response.json()
    assert ids(body["duplicates"]) == [original.pk]
    assert ids(body["related"]) == [paraphrase.pk]
    item = body["duplicates"][0]
    assert item["url"].endswith(f"/api/v1/claims/{original.pk}/")
    assert item["statement"] == ORIGINAL
    assert item["claimant"] == {"id": original.claimant.pk, "name": original.claimant.name, "kind": "person"}
    assert item["current_rating"]["slug"] == original.verdicts.get().rating.slug
    assert 0.55 <= item["score"] <= 1
    assert item["reason"].startswith("same wording")
    assert body["related"][0]["current_rating"] is None


def test_readers_may_not_ask_about_an_unpublished_claim(anon_client, outsider_client):
    published(ORIGINAL)
    draft = ClaimFactory(statement=ORIGINAL)
    for client in (anon_client, outsider_client):
        response = related(client, draft)
        assert response.status_code == 404
        assert "duplicates" not in response.json()


@pytest.mark.parametrize("client_name", READERS)
def test_readers_get_published_claims_only(request, client_name):
    client = request.getfixturevalue(client_name)
    subject = published(ORIGINAL)
    other = published(LIGHT_EDIT)
    ClaimFactory(statement=ORIGINAL)  # unpublished: the desk's business
    body = related(client, subject).json()
    assert ids(body["duplicates"]) == [other.pk]
    assert body["related"] == []


@pytest.mark.parametrize("client_name", READERS)
def test_readers_match_and_see_a_claim_by_its_approved_words_not_a_later_rewording(request, client_name, editor_client):
    client = request.getfixturevalue(client_name)
    subject = published(ORIGINAL)
    other = published(LIGHT_EDIT)
    reword(other, REWORDED)
    body = related(client, subject).json()
    assert ids(body["duplicates"]) == [other.pk]
    assert body["duplicates"][0]["statement"] == LIGHT_EDIT
    # The desk matches the live words, which are no longer alike.
    assert other.pk not in ids(related(editor_client, subject).json()["duplicates"])


@pytest.mark.parametrize("client_name", READERS)
def test_a_reworded_subject_is_matched_by_its_approved_words_for_readers(request, client_name):
    client = request.getfixturevalue(client_name)
    subject = published(ORIGINAL)
    other = published(LIGHT_EDIT)
    reword(subject, REWORDED)
    assert ids(related(client, subject).json()["duplicates"]) == [other.pk]


@pytest.mark.parametrize("client_name", READERS)
def test_an_unpublished_rewording_that_matches_tells_readers_nothing(request, client_name):
    client = request.getfixturevalue(client_name)
    subject = published(ORIGINAL)
    other = published(REWORDED)
    reword(other, LIGHT_EDIT)  # alike now, but readers were never shown these words
    body = related(client, subject).json()
    assert other.pk not in ids(body["duplicates"]) + ids(body["related"])
    assert LIGHT_EDIT not in str(body)


def test_the_desk_sees_every_relation_and_readers_the_confirmed_ones_between_published_claims(
    editor_client, anon_client
):
    subject = published(ORIGINAL)
    public = published("The Moscow meeting of Palestinian factions was planned to last three days.")
    draft = ClaimFactory(statement="Delegates from twelve organisations arrived in Moscow.")
    now = timezone.now()
    confirmed = ClaimRelationFactory(
        from_claim=public, to_claim=subject, state="confirmed", decided_at=now, explanation="Checked by the desk."
    )
    suggested = ClaimRelationFactory(from_claim=subject, to_claim=public, kind="supports")
    to_draft = ClaimRelationFactory(from_claim=draft, to_claim=subject, state="confirmed", decided_at=now)
    desk = related(editor_client, subject).json()["relations"]
    assert {relation["id"] for relation in desk} == {confirmed.pk, suggested.pk, to_draft.pk}
    readers = related(anon_client, subject).json()["relations"]
    assert readers == [
        {
            "id": confirmed.pk,
            "from_claim": public.pk,
            "kind": "contradicts",
            "to_claim": subject.pk,
            "state": "confirmed",
            "origin": "editor",
            "score": None,
            "explanation": None,
            "created_at": readers[0]["created_at"],
            "decided_at": readers[0]["decided_at"],
        }
    ]
    assert next(r for r in desk if r["id"] == confirmed.pk)["explanation"] == "Checked by the desk."


def test_limit_caps_duplicates_and_related_together(editor_client):
    subject = ClaimFactory(statement=ORIGINAL)
    for _ in range(3):
        ClaimFactory(statement=LIGHT_EDIT)
        ClaimFactory(statement=PARAPHRASE, claimant=None)
    body = related(editor_client, subject, limit=4).json()
    assert len(body["duplicates"]) + len(body["related"]) == 4
    assert len(body["duplicates"]) == 3


@pytest.mark.parametrize("limit", ["0", "51", "ten", "-1"])
def test_a_limit_out_of_range_is_a_400_naming_it(editor_client, limit):
    response = related(editor_client, ClaimFactory(statement=ORIGINAL), limit=limit)
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["limit"]


def test_the_desk_gets_404_for_a_missing_claim(editor_client):
    assert editor_client.get("/api/v1/claims/999999/related/").status_code == 404


@pytest.mark.parametrize(
    ("client_name", "expected"), [("anon_client", 6), ("outsider_client", 7), ("editor_client", 11)]
)
def test_it_takes_the_same_queries_however_many_claims_it_lists(
    request, client_name, expected, django_assert_num_queries
):
    # 0. the user's desk roles (signed-in users only)
    # 1. the subject: readers its current version's approved statement, question and claimant; the desk its row
    # 2. its lexemes and words (the desk: with how common each is)
    # 3. the candidates, scored (the desk: in a savepoint, with seq scans discouraged and the setting put back:
    #    SAVEPOINT, set, query, reset, RELEASE)
    # 4. the listed claims (the desk: joined to their claimant)
    # 5. their current verdicts, with rating and scale (readers: with the statement and claimant as approved)
    # 6. the relations from or to the subject (readers: confirmed, both ends published)
    client = request.getfixturevalue(client_name)
    subject = published(ORIGINAL)
    published(LIGHT_EDIT)
    with django_assert_num_queries(expected):
        body = related(client, subject).json()
    assert len(body["duplicates"]) == 1
    for _ in range(6):
        published(LIGHT_EDIT)
    with django_assert_num_queries(expected):
        body = related(client, subject).json()
    assert len(body["duplicates"]) == 7
