"""The write services: validation with field names, chains, versions, four-eyes approval, publication.

Every workflow step, case by case, is pinned down in test_workflow.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.postgres.fields.ranges import NumericRange
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from claims import services
from claims.models import Attribution, Claim, ClaimStatus, Verdict
from claims.snapshot import claim_snapshot
from factcheck.exceptions import Conflict
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EditorFactory,
    EvidenceFactory,
    SourceFactory,
    default_rating,
    draft_in_review,
    published_verdict,
)

pytestmark = pytest.mark.django_db


def test_claim_create_cleans_tags_and_records_who_created_it(editor):
    claim = services.claim_create(actor=editor, statement="  A claim.  ", tags=["Gaza", "gaza ", "", "Moscow"])
    claim.refresh_from_db()
    assert (claim.statement, claim.tags, claim.created_by) == ("A claim.", ["gaza", "moscow"], editor)


def test_claim_create_refuses_fields_that_only_the_workflow_sets(editor):
    with pytest.raises(ValidationError) as caught:
        services.claim_create(actor=editor, statement="A claim.", status=ClaimStatus.PUBLISHED)
    assert "status" in caught.value.message_dict
    assert not Claim.objects.exists()


def test_claim_create_reports_the_field_that_is_wrong(editor):
    with pytest.raises(ValidationError) as caught:
        services.claim_create(actor=editor, statement="", language="Russian")
    assert {"statement", "language"} <= set(caught.value.message_dict)


def test_claim_update_writes_only_the_fields_given(editor):
    claim = ClaimFactory(statement="Old wording", quote="old quote")
    Claim.objects.filter(pk=claim.pk).update(quote="changed by a colleague meanwhile")
    services.claim_update(claim=claim, actor=editor, statement="New wording")
    claim.refresh_from_db()
    assert (claim.statement, claim.quote) == ("New wording", "changed by a colleague meanwhile")


def test_attribution_chain_set_stores_hops_and_takes_the_origin_as_claimant(editor):
    claim = ClaimFactory(claimant=None)
    site, tass, hamas = SourceFactory(), SourceFactory(name="TASS"), SourceFactory(name="Hamas")
    appearance = AppearanceFactory(publisher=site)
    services.attribution_chain_set(
        claim=claim,
        appearance=appearance,
        hops=[
            services.Hop(site, "cites", "TASS reports"),
            services.Hop(tass, "cites", "citing Hamas"),
            services.Hop(hamas, "publishes"),
        ],
        actor=editor,
    )
    claim.refresh_from_db()
    assert claim.claimant == hamas
    assert claim.first_appearance == appearance
    assert list(claim.attributions.values_list("position", "source__name", "relation")) == [
        (0, site.name, "cites"),
        (1, "TASS", "cites"),
        (2, "Hamas", "publishes"),
    ]


def test_attribution_chain_set_refuses_a_chain_that_ends_in_a_relay_and_keeps_the_old_one(editor):
    hop = services.attribution_chain_set(
        claim=ClaimFactory(), appearance=None, hops=[services.Hop(SourceFactory(), "publishes")], actor=editor
    )[0]
    with pytest.raises(ValidationError) as caught:
        services.attribution_chain_set(
            claim=hop.claim, appearance=None, hops=[services.Hop(SourceFactory(), "cites")], actor=editor
        )
    assert "attributions" in caught.value.message_dict
    assert list(Attribution.objects.filter(claim=hop.claim)) == [hop]


def test_claim_value_add_refuses_a_quantity_without_an_interval():
    with pytest.raises(ValidationError) as caught:
        services.claim_value_add(claim=ClaimFactory(), kind="quantity", expression="nearly a thousand")
    assert caught.value.messages


def test_claim_value_add_stores_the_interval():
    value = services.claim_value_add(
        claim=ClaimFactory(),
        kind="quantity",
        expression="nearly a thousand",
        quantity=NumericRange(Decimal(900), Decimal(1000), "[)"),
        qualifier="nearly",
        unit="people",
    )
    value.refresh_from_db()
    assert value.quantity == NumericRange(Decimal(900), Decimal(1000), "[)")


def test_verdict_draft_numbers_versions_and_refuses_a_second_open_draft(fact_checker):
    claim = ClaimFactory(status=ClaimStatus.RESEARCHING)
    first = services.verdict_draft(claim=claim, author=fact_checker, rating=default_rating(), explanation="x")
    assert first.version == 1
    with pytest.raises(Conflict):
        services.verdict_draft(claim=claim, author=fact_checker)


def test_a_correction_is_drafted_by_reopening_the_claim_not_by_drafting_on_it(fact_checker, editor):
    current = published_verdict()
    with pytest.raises(Conflict, match="only an editor can reopen it for a correction"):
        services.verdict_draft(claim=current.claim, author=fact_checker)
    correction = services.claim_reopen(
        claim=current.claim, actor=editor, correction_kind="update", correction_note="New figures."
    )
    assert correction.version == 2


def test_nobody_approves_their_own_verdict(editor):
    verdict = draft_in_review(author=editor)
    with pytest.raises(PermissionDenied, match="Nobody approves their own verdict"):
        services.verdict_approve(verdict=verdict, approver=editor)
    verdict.refresh_from_db()
    assert verdict.approver is None


def test_a_second_person_approves(fact_checker, editor):
    verdict = services.verdict_approve(verdict=draft_in_review(author=fact_checker), approver=editor)
    assert verdict.approver == editor
    assert verdict.approved_at is not None


def test_publish_needs_approval(editor):
    verdict = draft_in_review()
    with pytest.raises(Conflict, match="A second person must approve the verdict before it is published"):
        services.verdict_publish(verdict=verdict, actor=editor)
    verdict.refresh_from_db()
    assert verdict.published_at is None


def test_publish_needs_a_rating_an_explanation_and_evidence(editor):
    verdict = draft_in_review(rating=None, explanation="")
    Verdict.objects.filter(pk=verdict.pk).update(
        approver=EditorFactory(), approved_at=timezone.now(), claim_snapshot=claim_snapshot(verdict.claim)
    )
    verdict.claim.evidence.all().delete()
    with pytest.raises(ValidationError) as caught:
        services.verdict_publish(verdict=verdict, actor=editor)
    assert {"rating", "explanation", "evidence"} <= set(caught.value.message_dict)


def test_publish_makes_the_claim_public_and_supersedes_the_previous_version(fact_checker, editor):
    old = published_verdict()
    correction = services.claim_reopen(
        claim=old.claim, actor=EditorFactory(), correction_kind="rating_changed", correction_note="Misread."
    )
    services.verdict_approve(verdict=correction, approver=editor)
    services.verdict_publish(verdict=correction, actor=editor)
    old.refresh_from_db()
    correction.refresh_from_db()
    assert old.superseded_at == correction.published_at
    assert list(Verdict.objects.current()) == [correction]
    assert list(Claim.objects.published()) == [old.claim]


def test_publish_refuses_an_already_published_verdict(editor):
    with pytest.raises(Conflict):
        services.verdict_publish(verdict=published_verdict(), actor=editor)


def test_a_claim_is_public_only_once_a_verdict_is_published(fact_checker, editor):
    claim = ClaimFactory(status=ClaimStatus.RESEARCHING)
    EvidenceFactory(claim=claim)
    verdict = services.verdict_draft(
        claim=claim, author=fact_checker, rating=default_rating(), explanation="Records say otherwise."
    )
    services.verdict_submit(verdict=verdict, actor=fact_checker)
    assert not Claim.objects.published().exists()
    services.verdict_approve(verdict=verdict, approver=editor)
    assert not Claim.objects.published().exists()
    services.verdict_publish(verdict=verdict, actor=EditorFactory())
    assert list(Claim.objects.published()) == [claim]
