"""Every write with a rule goes through here, whether it comes from the admin, the API or a command.

Each service is keyword-only, validates with full_clean (so the database constraints' messages reach the user
as field errors before the database has to refuse), and writes inside one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from claims.attribution import chain_errors, origin_position
from claims.models import Attribution, Claim, ClaimStatus, ClaimValue, Evidence, Verdict
from factcheck.exceptions import Conflict
from sources.models import Appearance, Source

# Fields a desk member may set on a claim directly; status, times and authorship only change through services.
CLAIM_EDITABLE_FIELDS = (
    "statement",
    "quote",
    "kind",
    "claimant",
    "claim_date",
    "language",
    "tags",
    "question",
    "first_appearance",
    "external_origin",
    "external_id",
)


@dataclass(frozen=True)
class Hop:
    source: Source
    relation: str
    quote_excerpt: str = ""


def _clean_tags(tags: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags:
        tag = tag.strip().lower()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


@transaction.atomic
def claim_create(*, actor: Any | None, statement: str, **fields: Any) -> Claim:
    unknown = set(fields) - set(CLAIM_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    if "tags" in fields:
        fields["tags"] = _clean_tags(fields["tags"])
    claim = Claim(statement=statement.strip(), created_by=actor if getattr(actor, "pk", None) else None, **fields)
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_update(*, claim: Claim, actor: Any | None, **fields: Any) -> Claim:
    """Write only the fields given, so two editors changing different fields do not overwrite each other."""
    unknown = set(fields) - set(CLAIM_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if "tags" in fields:
        fields["tags"] = _clean_tags(fields["tags"])
    if "statement" in fields:
        fields["statement"] = fields["statement"].strip()
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.full_clean()
    claim.save(update_fields=[*fields, "updated_at"])
    return claim


@transaction.atomic
def attribution_chain_set(
    *, claim: Claim, appearance: Appearance | None, hops: Sequence[Hop], actor: Any | None = None
) -> list[Attribution]:
    """Replace the chain by which `claim` reached `appearance` (None: no known document).

    When the chain names an original speaker and the claim has no claimant yet, that speaker becomes the claimant.
    """
    errors = chain_errors([hop.relation for hop in hops])
    if errors:
        raise ValidationError({"attributions": [f"hop {position}: {message}" for position, message in errors]})
    Attribution.objects.filter(claim=claim, appearance=appearance).delete()
    rows = [
        Attribution(
            claim=claim,
            appearance=appearance,
            position=position,
            source=hop.source,
            relation=hop.relation,
            quote_excerpt=hop.quote_excerpt,
        )
        for position, hop in enumerate(hops)
    ]
    for row in rows:
        row.full_clean(validate_constraints=False)
    Attribution.objects.bulk_create(rows)
    origin = origin_position([hop.relation for hop in hops])
    if claim.claimant_id is None and origin is not None:
        claim_update(claim=claim, actor=actor, claimant=hops[origin].source)
    if claim.first_appearance_id is None and appearance is not None:
        claim_update(claim=claim, actor=actor, first_appearance=appearance)
    return rows


@transaction.atomic
def claim_value_add(*, claim: Claim, actor: Any | None = None, **fields: Any) -> ClaimValue:
    value = ClaimValue(claim=claim, **fields)
    value.full_clean()
    value.save()
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
    return value


@transaction.atomic
def evidence_add(*, claim: Claim, actor: Any | None, **fields: Any) -> Evidence:
    evidence = Evidence(claim=claim, added_by=actor if getattr(actor, "pk", None) else None, **fields)
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def verdict_draft(*, claim: Claim, author: Any, correction_kind: str = "", **fields: Any) -> Verdict:
    """Start the next version of the claim's verdict. Versions after the first say what kind of correction they are."""
    # Lock the claim so two drafts started at once cannot take the same version number.
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if Verdict.objects.filter(claim=claim, published_at__isnull=True).exists():
        raise Conflict("This claim already has an unpublished verdict draft; edit that one.")
    version = (Verdict.objects.filter(claim=claim).aggregate(top=Max("version"))["top"] or 0) + 1
    verdict = Verdict(claim=claim, version=version, author=author, correction_kind=correction_kind, **fields)
    verdict.full_clean()
    verdict.save()
    return verdict


@transaction.atomic
def verdict_approve(*, verdict: Verdict, approver: Any) -> Verdict:
    verdict = Verdict.objects.select_for_update().get(pk=verdict.pk)
    if verdict.published_at is not None:
        raise Conflict("This verdict is already published; a change needs a new version.")
    if verdict.author_id == approver.pk:
        raise ValidationError({"approver": "Nobody approves their own verdict: a second person must approve it."})
    if verdict.approved_at is not None:
        raise Conflict("This verdict is already approved.")
    verdict.approver = approver
    verdict.approved_at = timezone.now()
    verdict.full_clean()
    verdict.save(update_fields=["approver", "approved_at", "updated_at"])
    return verdict


@transaction.atomic
def verdict_publish(*, verdict: Verdict, actor: Any) -> Verdict:
    """Publish an approved verdict; the version it replaces is superseded at the same instant."""
    claim = Claim.objects.select_for_update().get(pk=verdict.claim_id)
    verdict = Verdict.objects.select_for_update().get(pk=verdict.pk)
    if verdict.published_at is not None:
        raise Conflict("This verdict is already published.")
    problems: dict[str, str] = {}
    if verdict.approved_at is None:
        problems["approver"] = "A second person must approve the verdict before it is published."
    if verdict.rating_id is None and verdict.correction_kind != "void":
        problems["rating"] = "A published verdict needs a rating."
    if not verdict.explanation.strip():
        problems["explanation"] = "A published verdict needs an explanation."
    if not claim.evidence.exists():
        problems["evidence"] = "A published verdict rests on at least one piece of evidence."
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    Verdict.objects.filter(claim=claim, published_at__isnull=False, superseded_at__isnull=True).update(
        superseded_at=now, updated_at=now
    )
    verdict.published_at = now
    verdict.save(update_fields=["published_at", "updated_at"])
    claim.status = ClaimStatus.PUBLISHED
    claim.save(update_fields=["status", "updated_at"])
    return verdict
