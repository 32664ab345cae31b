"""Importing reviews other fact-checkers published (ClaimReview documents, the LIAR data set) as published verdicts.

An imported review was written and approved at its publisher; here it still takes two people, as every published
verdict does (verdict_approver_not_author): the import account is its author, and the editor who runs the import
approves and publishes it. The review's own date is its approval and publication time, so "the verdict at time T"
and `maxAgeDays`-style queries mean what the publisher's date says. Its address is evidence the verdict rests on.

Idempotent: a claim is identified by (external_origin, external_id) — e.g. ("claimreview", the review's URL) or
("liar", the row id) — and an import of an identifier already present changes nothing and reports it as present.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import (
    Claim,
    ClaimStatus,
    Evidence,
    Rating,
    ReviewEvent,
    TransitionName,
    Verdict,
)
from claims.services.editing import Hop, attribution_chain_set, claim_create, claim_values_set, evidence_add
from claims.snapshot import claim_snapshot
from factcheck.roles import is_editor
from sources.models import Appearance, Source

IMPORT_ACCOUNT = "import"


def import_account() -> Any:
    """The author of imported reviews: an account nobody signs in with (no password, inactive, no role)."""
    user, created = get_user_model().objects.get_or_create(
        username=IMPORT_ACCOUNT,
        defaults={"is_active": False, "first_name": "Imported", "last_name": "reviews"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@dataclass
class ImportedReview:
    """One review to import, already mapped onto our records (sources, appearance, rating)."""

    origin: str  # Claim.external_origin: "claimreview", "liar", ...
    external_id: str  # the review's identifier at its origin: its URL, or a row id
    statement: str
    rating: Rating
    published_at: dt.datetime
    publisher: Source
    claimant: Source | None = None
    claim_date: dt.date | None = None
    language: str = "en"
    tags: Sequence[str] = ()
    kind: str = "other"
    quote: str = ""
    appearance: Appearance | None = None
    hops: Sequence[Hop] = ()  # the chain on `appearance`, from the page outwards
    chains: Sequence[tuple[Appearance | None, Sequence[Hop]]] = ()  # further chains, on other appearances
    values: Sequence[Mapping[str, Any]] = ()
    summary: str = ""
    explanation: str = ""
    textual_rating: str = ""
    review_url: str = ""
    evidence: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


@transaction.atomic
def review_import(*, review: ImportedReview, actor: Any, author: Any | None = None) -> tuple[Claim, bool]:
    """Create the claim, its chain and values, and its published verdict; (claim, created).

    `actor` is the editor running the import (the approver); `author` defaults to the import account.
    """
    if not is_editor(actor):
        raise PermissionDenied("Only editors import reviews: an import publishes verdicts.")
    existing = Claim.objects.filter(external_origin=review.origin, external_id=review.external_id).first()
    if existing is not None:
        return existing, False
    author = author or import_account()
    explanation = review.explanation.strip() or _default_explanation(review)
    claim = claim_create(
        actor=actor,
        statement=review.statement,
        quote=review.quote,
        kind=review.kind,
        claimant=review.claimant,
        claim_date=review.claim_date,
        language=review.language,
        tags=list(review.tags),
        first_appearance=review.appearance,
        external_origin=review.origin,
        external_id=review.external_id,
        suggest_duplicates=False,
    )
    if review.hops:
        attribution_chain_set(claim=claim, appearance=review.appearance, hops=review.hops, actor=actor)
    for appearance, hops in review.chains:
        attribution_chain_set(claim=claim, appearance=appearance, hops=hops, actor=actor)
    if review.values:
        claim_values_set(claim=claim, values=review.values, actor=actor)
    for fields in review.evidence:
        evidence_add(claim=claim, actor=actor, **fields)
    if review.review_url:
        evidence_add(
            claim=claim,
            actor=actor,
            url=review.review_url,
            title=review.summary[:500] or f"Review by {review.publisher.name}",
            stance=Evidence.Stance.CONTEXT,
            note=f"The review as {review.publisher.name} published it.",
        )
    if not review.evidence and not review.review_url:
        raise ValidationError({"review_url": "An imported review needs its address or other evidence to rest on."})
    published_at = review.published_at
    if timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at, dt.UTC)
    verdict = Verdict(
        claim=claim,
        version=1,
        rating=review.rating,
        summary=review.summary[:300],
        explanation=explanation,
        author=author,
        approver=actor,
        approved_at=published_at,
        published_at=published_at,
        publisher=review.publisher,
        review_url=review.review_url,
        textual_rating=review.textual_rating[:200],
        claim_snapshot=claim_snapshot(claim),
    )
    verdict.full_clean()
    verdict.save()
    from_status = claim.status
    claim.status = ClaimStatus.PUBLISHED
    claim.save(update_fields=["status", "updated_at"])
    ReviewEvent.objects.create(
        claim=claim,
        verdict=verdict,
        actor=actor,
        transition=TransitionName.PUBLISH,
        from_status=from_status,
        to_status=claim.status,
        comment=f"Imported from {review.origin}: published by {review.publisher.name}"
        + (f" at {review.review_url}" if review.review_url else "")
        + ".",
    )
    return claim, True


def _default_explanation(review: ImportedReview) -> str:
    rating = review.textual_rating or review.rating.label
    where = f" ({review.review_url})" if review.review_url else ""
    return f"{review.publisher.name} rated this claim “{rating}”{where}."
