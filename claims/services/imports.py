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
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
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
from claims.services.editing import (
    Hop,
    _clean_tags,
    attribution_chain_set,
    claim_create,
    claim_values_set,
    evidence_add,
)
from claims.snapshot import claim_snapshot, claim_snapshots_of
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
    claim = claim_create(actor=actor, suggest_duplicates=False, **_claim_fields(review))
    if review.hops:
        attribution_chain_set(claim=claim, appearance=review.appearance, hops=review.hops, actor=actor)
    for appearance, hops in review.chains:
        attribution_chain_set(claim=claim, appearance=appearance, hops=hops, actor=actor)
    if review.values:
        claim_values_set(claim=claim, values=review.values, actor=actor)
    for fields in _evidence(review):
        evidence_add(claim=claim, actor=actor, **fields)
    _require_evidence(review)
    verdict = _verdict(review, claim=claim, actor=actor, author=author, snapshot=claim_snapshot(claim))
    verdict.full_clean()
    verdict.save()
    from_status = claim.status
    claim.status = ClaimStatus.PUBLISHED
    claim.save(update_fields=["status", "updated_at"])
    ReviewEvent.objects.create(
        **_publish_event(review, claim=claim, verdict=verdict, actor=actor, from_status=from_status)
    )
    return claim, True


def _evidence(review: ImportedReview) -> list[dict[str, Any]]:
    """The review's evidence, and its own address as a piece of context when it has one."""
    fields = [dict(entry) for entry in review.evidence]
    if review.review_url:
        fields.append(
            {
                "url": review.review_url,
                "title": review.summary[:500] or f"Review by {review.publisher.name}",
                "stance": Evidence.Stance.CONTEXT,
                "note": f"The review as {review.publisher.name} published it.",
            }
        )
    return fields


def _require_evidence(review: ImportedReview) -> None:
    if not review.evidence and not review.review_url:
        raise ValidationError({"review_url": "An imported review needs its address or other evidence to rest on."})


def _verdict(review: ImportedReview, *, claim: Claim, actor: Any, author: Any, snapshot: dict[str, Any]) -> Verdict:
    published_at = review.published_at
    if timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at, dt.UTC)
    return Verdict(
        claim=claim,
        version=1,
        rating=review.rating,
        summary=review.summary[:300],
        explanation=review.explanation.strip() or _default_explanation(review),
        author=author,
        approver=actor,
        approved_at=published_at,
        published_at=published_at,
        publisher=review.publisher,
        review_url=review.review_url,
        textual_rating=review.textual_rating[:200],
        claim_snapshot=snapshot,
    )


def _publish_event(review: ImportedReview, *, claim: Claim, verdict: Verdict, actor: Any, from_status: str) -> dict:
    return {
        "claim": claim,
        "verdict": verdict,
        "actor": actor,
        "transition": TransitionName.PUBLISH,
        "from_status": from_status,
        "to_status": ClaimStatus.PUBLISHED,
        "comment": f"Imported from {review.origin}: published by {review.publisher.name}"
        + (f" at {review.review_url}" if review.review_url else "")
        + ".",
    }


# Foreign keys the bulk path resolved itself: full_clean() would look each of them up again, one query per row.
_CLAIM_FKS = ["claimant", "created_by", "first_appearance", "question", "assignee"]
_EVIDENCE_FKS = ["claim", "appearance", "added_by"]
_VERDICT_FKS = ["claim", "rating", "author", "approver", "publisher"]


@transaction.atomic
def reviews_import_bulk(
    *, reviews: Sequence[ImportedReview], actor: Any, author: Any | None = None
) -> list[tuple[Claim, bool]]:
    """review_import() of many reviews in a constant number of queries: (claim, created) for each, in order.

    The same rules and the same rows: two people (the import account writes, `actor` approves), the snapshot from
    the same public serializer (claims.snapshot.claim_snapshots_of), the same evidence, verdict and ReviewEvent, and
    the same audit trail (claims inserted as `new` and then updated to `published`, each write seen by the
    database's audit triggers). Field checks run in Python as full_clean() does; the constraints are the
    database's, so one bad review fails the whole call (callers retry its reviews one by one to find it).
    Reviews with hops or values take the single path, which knows how to write them.
    """
    if not is_editor(actor):
        raise PermissionDenied("Only editors import reviews: an import publishes verdicts.")
    author = author or import_account()
    for review in reviews:
        _require_evidence(review)
    keys = {(r.origin, r.external_id) for r in reviews}
    present: dict[tuple[str, str], Claim] = {}
    for origin in {origin for origin, _ in keys}:
        ids = [external_id for o, external_id in keys if o == origin]
        for claim in Claim.objects.filter(external_origin=origin, external_id__in=ids):
            present[(origin, claim.external_id)] = claim
    results: list[tuple[Claim, bool] | None] = [None] * len(reviews)
    new: dict[tuple[str, str], tuple[int, ImportedReview, Claim]] = {}
    for index, review in enumerate(reviews):
        key = (review.origin, review.external_id)
        if key in present:
            results[index] = (present[key], False)
        elif key in new or review.hops or review.values:
            continue  # a repeat within the call, or a review for the single path: after the others
        else:
            fields = _claim_fields(review)
            claim = Claim(
                **{**fields, "statement": fields["statement"].strip(), "tags": _clean_tags(fields["tags"])},
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            claim.full_clean(exclude=_CLAIM_FKS, validate_unique=False, validate_constraints=False)
            new[key] = (index, review, claim)
    added_by = actor if getattr(actor, "pk", None) else None
    claims = [claim for _, _, claim in new.values()]
    evidence_fields = [_evidence(review) for _, review, _ in new.values()]
    # Ids drawn first (every table in one query), so each row is written whole by COPY and the rows pointing at a
    # claim or a verdict get its id when they are built.
    ids = _draw_ids(
        {
            Claim: len(claims),
            Evidence: sum(map(len, evidence_fields)),
            Verdict: len(claims),
            ReviewEvent: len(claims),
        }
    )
    evidence: list[list[Evidence]] = []
    for claim, claim_id, fields_list in zip(claims, ids[Claim], evidence_fields, strict=True):
        claim.pk = claim_id
        rows = []
        for fields in fields_list:
            row = Evidence(claim=claim, added_by=added_by, **fields)
            row.full_clean(exclude=_EVIDENCE_FKS, validate_unique=False, validate_constraints=False)
            rows.append(row)
        evidence.append(rows)
    for row, evidence_id in zip((row for rows in evidence for row in rows), ids[Evidence], strict=True):
        row.pk = evidence_id
    _copy_insert(Claim, claims)
    _copy_insert(Evidence, [row for rows in evidence for row in rows])
    for claim, rows in zip(claims, evidence, strict=True):
        # What ClaimQuerySet.with_public_parts() would load back: no hops or values (those reviews took the single
        # path), the evidence just written in id order; claimant and first appearance are the review's objects.
        _set_prefetched(claim, attributions=[], values=[], evidence=rows)
    verdicts = []
    for (_, review, claim), snapshot, verdict_id in zip(
        new.values(), claim_snapshots_of(claims), ids[Verdict], strict=True
    ):
        verdict = _verdict(review, claim=claim, actor=actor, author=author, snapshot=snapshot)
        verdict.full_clean(exclude=_VERDICT_FKS, validate_unique=False, validate_constraints=False)
        verdict.pk = verdict_id
        verdicts.append(verdict)
    _copy_insert(Verdict, verdicts)
    now = timezone.now()
    Claim.objects.filter(pk__in=[claim.pk for claim in claims]).update(status=ClaimStatus.PUBLISHED, updated_at=now)
    events = []
    for (_, review, claim), verdict, event_id in zip(new.values(), verdicts, ids[ReviewEvent], strict=True):
        event = ReviewEvent(
            **_publish_event(review, claim=claim, verdict=verdict, actor=actor, from_status=claim.status)
        )
        event.pk = event_id
        events.append(event)
        claim.status, claim.updated_at = ClaimStatus.PUBLISHED, now
    _copy_insert(ReviewEvent, events)
    for index, _, claim in new.values():
        results[index] = (claim, True)
    for index, review in enumerate(reviews):
        if results[index] is None:
            results[index] = review_import(review=review, actor=actor, author=author)
    return [result for result in results if result is not None]


def _claim_fields(review: ImportedReview) -> dict[str, Any]:
    """The claim's own fields from a review: one list for the single and the bulk path."""
    return {
        "statement": review.statement,
        "quote": review.quote,
        "kind": review.kind,
        "claimant": review.claimant,
        "claim_date": review.claim_date,
        "language": review.language,
        "tags": list(review.tags),
        "first_appearance": review.appearance,
        "external_origin": review.origin,
        "external_id": review.external_id,
    }


def _default_explanation(review: ImportedReview) -> str:
    rating = review.textual_rating or review.rating.label
    where = f" ({review.review_url})" if review.review_url else ""
    return f"{review.publisher.name} rated this claim “{rating}”{where}."


# Values psycopg's COPY writes as they are (arrays of them too: a claim's tags).
_PLAIN = (str, int, bool, float, dt.datetime, dt.date, type(None), list)


def _draw_ids(counts: Mapping[type[models.Model], int]) -> dict[type[models.Model], list[int]]:
    """`count` fresh ids from each model's table sequence, in one query (COPY, unlike INSERT, returns none)."""
    wanted = [(model, count) for model, count in counts.items() if count]
    ids: dict[type[models.Model], list[int]] = {model: [] for model in counts}
    if not wanted:
        return ids
    parts = ", ".join(
        "(SELECT array_agg(nextval(pg_get_serial_sequence(%s, %s))) FROM generate_series(1, %s))" for _ in wanted
    )
    params: list[Any] = []
    for model, count in wanted:
        params += [model._meta.db_table, model._meta.pk.column, count]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}", params)
        arrays = cursor.fetchone()
    for (model, _count), drawn in zip(wanted, arrays, strict=True):
        ids[model] = sorted(drawn)
    return ids


def _copy_insert(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """INSERT the rows (ids assigned) with COPY: the same rows bulk_create() writes, every trigger (the audit events)
    and constraint as for an INSERT, without building and parsing one statement of thousands of literals.

    Values are prepared as bulk_create() prepares them: pre_save() (auto_now times), then get_db_prep_save() for
    the fields whose Python value is not already what the column takes (JSON, and anything not a plain value).
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    jsons = [isinstance(f, models.JSONField) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # A statement through Django first, so pghistory's context (set per transaction with each statement Django
        # runs) is in place for the triggers' audit rows even when COPY is the transaction's first write. Not a
        # SELECT: pghistory sets no context before those.
        cursor.execute("DO $$BEGIN END$$")
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                values = []
                for field_, json in zip(fields, jsons, strict=True):
                    value = field_.pre_save(row, add=True)
                    if isinstance(value, enum.Enum):
                        value = value.value  # choices (TextChoices): psycopg would write an enum's name
                    elif json or not isinstance(value, _PLAIN):
                        value = field_.get_db_prep_save(value, connection)
                    values.append(value)
                copy.write_row(values)


def _set_prefetched(instance: models.Model, **related: list[models.Model]) -> None:
    """Hand related rows already in memory to `instance` as prefetch_related() would have loaded them."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.update(related)
