"""Imported reviews become published verdicts by two people, once, and readers see them like any other."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import Claim, ClaimStatus, HopRelation, ReviewEvent, Verdict
from claims.services import Hop
from claims.services.imports import IMPORT_ACCOUNT, ImportedReview, review_import
from sources.models import SourceKind
from sources.services import source_create
from tests.factories import default_rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(editor) -> ImportedReview:
    publisher = source_create(actor=editor, name="PolitiFact", kind=SourceKind.OUTLET)
    speaker = source_create(actor=editor, name="A Senator", kind=SourceKind.PERSON)
    return ImportedReview(
        origin="claimreview",
        external_id="https://www.politifact.com/factchecks/2019/jan/01/senator/",
        statement="Unemployment fell by half in a year.",
        rating=default_rating("false"),
        published_at=dt.datetime(2019, 1, 2, 12, 0, tzinfo=dt.UTC),
        publisher=publisher,
        claimant=speaker,
        claim_date=dt.date(2018, 12, 30),
        hops=[Hop(source=speaker, relation=HopRelation.PUBLISHES)],
        summary="It fell by a tenth.",
        textual_rating="Pants on Fire!",
        review_url="https://www.politifact.com/factchecks/2019/jan/01/senator/",
    )


def test_an_import_publishes_a_verdict_written_by_the_import_account_and_approved_by_the_editor(editor, review):
    claim, created = review_import(review=review, actor=editor)

    assert created
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.author.username, verdict.approver) == (IMPORT_ACCOUNT, editor)
    assert verdict.published_at == verdict.approved_at == review.published_at
    assert (verdict.publisher.name, verdict.textual_rating, verdict.review_url) == (
        "PolitiFact",
        "Pants on Fire!",
        review.review_url,
    )
    assert verdict.claim_snapshot["statement"] == review.statement
    assert "PolitiFact rated this claim “Pants on Fire!”" in verdict.explanation
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PUBLISHED
    assert claim.claimant.name == "A Senator"
    assert ReviewEvent.objects.get(claim=claim).comment.startswith("Imported from claimreview")


def test_readers_see_an_imported_review(editor, review, anon_client):
    claim, _ = review_import(review=review, actor=editor)

    body = anon_client.get(f"/api/v1/claims/{claim.pk}/").json()

    assert body["current_verdict"]["rating"]["slug"] == "false"
    assert body["verdicts"][0]["publisher"]["name"] == "PolitiFact"
    assert body["verdicts"][0]["textual_rating"] == "Pants on Fire!"


def test_importing_the_same_review_again_changes_nothing(editor, review):
    first, _ = review_import(review=review, actor=editor)

    again, created = review_import(review=review, actor=editor)

    assert (again.pk, created) == (first.pk, False)
    assert Verdict.objects.count() == 1


def test_only_editors_import(fact_checker, review):
    with pytest.raises(PermissionDenied):
        review_import(review=review, actor=fact_checker)
    assert not Claim.objects.exists()


def test_a_review_with_nothing_to_rest_on_is_refused_and_leaves_nothing(editor, review):
    review.review_url = ""

    with pytest.raises(ValidationError) as caught:
        review_import(review=review, actor=editor)

    assert "review_url" in caught.value.message_dict
    assert not Claim.objects.exists()
