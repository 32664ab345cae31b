"""Editing a claim and its parts (chains, values, evidence) and questions: the writes outside the review workflow."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.attribution import chain_errors, origin_position
from claims.crossref.detect import claim_relations_refresh, question_relations_refresh
from claims.models import Attribution, Claim, ClaimValue, Evidence, Question
from claims.related import duplicates_suggest
from sources.models import Appearance, Source

# Fields a desk member may set on a claim directly; status, assignee, times and authorship change only through the
# workflow (claims.services.review).
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

# Changing these changes how the claim compares with the other answers to its question.
CROSSREF_FIELDS = frozenset({"question", "claim_date", "first_appearance", "claimant"})
# Changing these changes how the question's answers compare with each other.
QUESTION_CROSSREF_FIELDS = frozenset({"kind", "unit", "cumulative"})


@dataclass(frozen=True)
class Hop:
    source: Source
    relation: str
    quote_excerpt: str = ""


def touch(claim: Claim) -> None:
    """Bump the claim's updated_at (its ETag, ?updated_since=) after a change to one of its parts."""
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())


def _clean_tags(tags: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags:
        tag = tag.strip().lower()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


@transaction.atomic
def claim_create(*, actor: Any | None, statement: str, suggest_duplicates: bool = True, **fields: Any) -> Claim:
    """Create a claim and, unless `suggest_duplicates` is off (bulk imports), record the claims it likely
    duplicates as detector suggestions for an editor to confirm or dismiss (claims.related.duplicates_suggest)."""
    unknown = set(fields) - set(CLAIM_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    if "tags" in fields:
        fields["tags"] = _clean_tags(fields["tags"])
    claim = Claim(statement=statement.strip(), created_by=actor if getattr(actor, "pk", None) else None, **fields)
    claim.full_clean()
    claim.save()
    if suggest_duplicates:
        duplicates_suggest(claim=claim)
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
    if CROSSREF_FIELDS & fields.keys():
        claim_relations_refresh(claim=claim)
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
    touch(claim)
    # The detector's explanations name who each answer comes from, which the chain says.
    claim_relations_refresh(claim=claim)
    return rows


def _value_add(claim: Claim, fields: Mapping[str, Any]) -> ClaimValue:
    value = ClaimValue(claim=claim, **fields)
    value.full_clean()
    value.save()
    return value


@transaction.atomic
def claim_value_add(*, claim: Claim, actor: Any | None = None, **fields: Any) -> ClaimValue:
    value = _value_add(claim, fields)
    touch(claim)
    claim_relations_refresh(claim=claim)
    return value


@transaction.atomic
def claim_values_changed(*, claim: Claim, actor: Any | None = None) -> None:
    """After values were changed or removed outside the services (the admin's inline rows): the same bookkeeping."""
    touch(claim)
    claim_relations_refresh(claim=claim)


@transaction.atomic
def evidence_add(*, claim: Claim, actor: Any | None, **fields: Any) -> Evidence:
    evidence = Evidence(claim=claim, added_by=actor if getattr(actor, "pk", None) else None, **fields)
    evidence.full_clean()
    evidence.save()
    touch(claim)
    return evidence


@dataclass(frozen=True)
class Chain:
    """The hops by which a claim reached one appearance (None: no known document)."""

    appearance: Appearance | None
    hops: Sequence[Hop]


def _lock(claim: Claim) -> None:
    # Two edits replacing the same claim's parts at once would both delete before either inserts, leaving both
    # sets; holding the claim's row makes the second wait for the first and then replace what it wrote.
    Claim.objects.select_for_update().filter(pk=claim.pk).exists()


@contextmanager
def _errors_under(prefix: str, rename: Mapping[str, str] | None = None) -> Iterator[None]:
    """Re-raise validation errors with their fields under `prefix`, e.g. values.2.quantity for the third value."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise ValidationError({prefix: error.messages}) from error
        rename = rename or {}
        raise ValidationError(
            {
                prefix if field == NON_FIELD_ERRORS else f"{prefix}.{rename.get(field, field)}": messages
                for field, messages in error.message_dict.items()
            }
        ) from error


@transaction.atomic
def claim_attributions_set(*, claim: Claim, chains: Sequence[Chain], actor: Any | None = None) -> list[Attribution]:
    """Replace all of the claim's chains with `chains`: chains to appearances not listed are removed."""
    _lock(claim)
    listed = [chain.appearance.pk for chain in chains if chain.appearance is not None]
    stale = Attribution.objects.filter(claim=claim).exclude(appearance__in=listed)
    if any(chain.appearance is None for chain in chains):
        stale = stale.exclude(appearance__isnull=True)
    stale.delete()
    rows: list[Attribution] = []
    for index, chain in enumerate(chains):
        with _errors_under(f"attributions.{index}", rename={"attributions": "hops"}):
            rows += attribution_chain_set(claim=claim, appearance=chain.appearance, hops=chain.hops, actor=actor)
    return rows


@transaction.atomic
def claim_values_set(
    *, claim: Claim, values: Sequence[Mapping[str, Any]], actor: Any | None = None
) -> list[ClaimValue]:
    """Replace all of the claim's values with `values` (each the fields of one ClaimValue)."""
    _lock(claim)
    ClaimValue.objects.filter(claim=claim).delete()
    added: list[ClaimValue] = []
    for index, fields in enumerate(values):
        with _errors_under(f"values.{index}"):
            added.append(_value_add(claim, fields))
    touch(claim)
    claim_relations_refresh(claim=claim)
    return added


@transaction.atomic
def claim_parts_set(
    *,
    claim: Claim,
    actor: Any | None,
    attributions: Sequence[Chain] | None = None,
    values: Sequence[Mapping[str, Any]] | None = None,
    evidence: Sequence[Mapping[str, Any]] = (),
) -> Claim:
    """Replace the claim's chains and values where given (None leaves them as they are) and add `evidence`.

    Evidence is only ever added here: a published verdict rests on it, so no edit of the claim may take it away.
    """
    if attributions is not None:
        claim_attributions_set(claim=claim, chains=attributions, actor=actor)
    if values is not None:
        claim_values_set(claim=claim, values=values, actor=actor)
    for index, fields in enumerate(evidence):
        with _errors_under(f"evidence.{index}"):
            evidence_add(claim=claim, actor=actor, **fields)
    return claim


QUESTION_EDITABLE_FIELDS = ("text", "kind", "unit", "cumulative", "description")


@transaction.atomic
def question_create(*, actor: Any | None, **fields: Any) -> Question:
    unknown = set(fields) - set(QUESTION_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    question = Question(**fields)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_update(*, question: Question, actor: Any | None, **fields: Any) -> Question:
    unknown = set(fields) - set(QUESTION_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    for name, value in fields.items():
        setattr(question, name, value)
    question.full_clean()
    question.save(update_fields=[*fields, "updated_at"])
    if QUESTION_CROSSREF_FIELDS & fields.keys():
        question_relations_refresh(question=question)
    return question
