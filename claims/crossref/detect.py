"""Contradiction detection: the detector's ClaimRelation suggestions among the answers to each question.

The comparison rules are claims.crossref.compare (no database); this module reads a question's answers and keeps the
detector's suggestions in step with them:

- A finding with no relation yet between the two claims becomes a `suggested` relation (origin `detector`) with its
  score and one-sentence explanation.
- A suggestion the detector made earlier is updated in place, or deleted when it no longer holds (a value changed,
  a claim left the question, was dismissed or marked a duplicate).
- What an editor decided (a confirmed or dismissed relation) and what an editor recorded is never touched: a
  dismissed suggestion is not made again while the finding stands.

Refreshing after one claim changed compares that claim with the question's other answers only, so its cost grows
with the size of the question, not of the database. `manage.py detect_relations` refreshes everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Prefetch, Q

from claims.crossref.compare import CONTRADICTS, SUPERSEDES, SUPPORTS, Answer, Finding, compare_all, compare_one
from claims.crossref.origins import chain_label, independent_origins
from claims.models import Attribution, Claim, ClaimRelation, ClaimStatus, ClaimValue, Question

DETECTED_KINDS = (CONTRADICTS, SUPPORTS, SUPERSEDES)
# Either direction names the same relation for these, so one row stands for the pair (claimrelation_symmetric_unique).
SYMMETRIC_KINDS = frozenset({CONTRADICTS, SUPPORTS})
# Claims the desk set aside answer nothing.
EXCLUDED_STATUSES = (ClaimStatus.DISMISSED, ClaimStatus.DUPLICATE)


@dataclass
class RefreshResult:
    created: int = 0
    updated: int = 0
    removed: int = 0

    def __iadd__(self, other: RefreshResult) -> RefreshResult:
        self.created += other.created
        self.updated += other.updated
        self.removed += other.removed
        return self


def chain_dicts(attributions: Iterable[Attribution]) -> list[dict[str, Any]]:
    """A claim's hops (ordered by appearance, then position) as chains in the public shape that origins reads."""
    chains: list[dict[str, Any]] = []
    for hop in attributions:
        if not chains or chains[-1]["_appearance_id"] != hop.appearance_id:
            appearance = hop.appearance
            chains.append(
                {
                    "_appearance_id": hop.appearance_id,
                    "appearance": None
                    if appearance is None
                    else {"id": appearance.pk, "title": appearance.title, "url": appearance.url},
                    "hops": [],
                }
            )
        chains[-1]["hops"].append(
            {
                "position": hop.position,
                "source": {"id": hop.source_id, "name": hop.source.name},
                "relation": hop.relation,
            }
        )
    return chains


def claim_label(chains: list[dict[str, Any]], claimant: str | None, claim_id: int) -> str:
    """Who a claim's answer comes from, in a few words: "Hamas via TASS", or its claimant."""
    report = independent_origins(chains)
    labels = list(dict.fromkeys(origin["chains"][0]["label"] for origin in report["origins"]))
    if labels:
        return " and ".join(labels)
    if chains:
        return chain_label(chains[0])
    return claimant or f"claim {claim_id}"


def answers_from_values(
    claim_id: int,
    label: str,
    values: Iterable[dict[str, Any]],
    when: dt.date | None,
) -> list[Answer]:
    """Answers from values in the public shape (claims.api.public.ValueSerializer): live rows and snapshots alike."""
    values = list(values)
    scopes = [(value["kind"], value.get("unit", ""), value.get("place", "")) for value in values]
    answers = []
    for value, scope in zip(values, scopes, strict=True):
        parse = dt.date.fromisoformat if value["kind"] == ClaimValue.Kind.DATE else Decimal
        as_of = value.get("as_of")
        answers.append(
            Answer(
                claim_id=claim_id,
                label=label,
                kind=value["kind"],
                expression=value["expression"],
                low=None if value["low"] is None else parse(value["low"]),
                high=None if value["high"] is None else parse(value["high"]),
                low_inclusive=bool(value["low_inclusive"]),
                high_inclusive=bool(value["high_inclusive"]),
                unit=value.get("unit", ""),
                place=value.get("place", ""),
                precision=value.get("precision", ""),
                when=dt.date.fromisoformat(as_of) if as_of else when,
                several=scopes.count(scope) > 1,
            )
        )
    return answers


def value_dict(value: ClaimValue) -> dict[str, Any]:
    """A value row in the public shape (claims.api.public.ValueSerializer), without reading it through DRF."""
    interval = value.quantity if value.kind == ClaimValue.Kind.QUANTITY else value.dates
    return {
        "kind": value.kind,
        "expression": value.expression,
        "low": None if interval.lower is None else str(interval.lower),
        "high": None if interval.upper is None else str(interval.upper),
        "low_inclusive": interval.lower_inc,
        "high_inclusive": interval.upper_inc,
        "unit": value.unit,
        "place": value.place,
        "precision": value.precision,
        "as_of": value.as_of.isoformat() if value.as_of else None,
    }


def question_answers(question: Question) -> list[Answer]:
    """The live answers to `question` of every claim the desk has not set aside, in three queries."""
    claims = (
        Claim.objects.filter(question=question)
        .exclude(status__in=EXCLUDED_STATUSES)
        .select_related("claimant", "first_appearance")
        .only("id", "claim_date", "claimant__name", "first_appearance__published_on")
        .prefetch_related(
            "values",
            Prefetch(
                "attributions",
                queryset=Attribution.objects.select_related("source", "appearance").order_by(
                    "appearance_id", "position"
                ),
            ),
        )
        .order_by("id")
    )
    answers: list[Answer] = []
    for claim in claims:
        chains = chain_dicts(claim.attributions.all())
        label = claim_label(chains, claim.claimant.name if claim.claimant else None, claim.pk)
        when = claim.claim_date or (claim.first_appearance.published_on if claim.first_appearance else None)
        answers += answers_from_values(claim.pk, label, map(value_dict, claim.values.all()), when)
    return answers


def _pair_key(from_claim: int, to_claim: int, kind: str) -> tuple[int, int, str]:
    if kind in SYMMETRIC_KINDS:
        return (min(from_claim, to_claim), max(from_claim, to_claim), kind)
    return (from_claim, to_claim, kind)


def _apply(findings: list[Finding], scope: Q) -> RefreshResult:
    """Make the detector's suggestions within `scope` (a filter on ClaimRelation) be exactly `findings`."""
    result = RefreshResult()
    existing = {
        _pair_key(row.from_claim_id, row.to_claim_id, row.kind): row
        for row in ClaimRelation.objects.filter(scope, kind__in=DETECTED_KINDS)
    }
    wanted: set[tuple[int, int, str]] = set()
    for finding in findings:
        key = _pair_key(finding.from_claim, finding.to_claim, finding.kind)
        wanted.add(key)
        row = existing.get(key)
        if row is None:
            row = ClaimRelation(
                from_claim_id=finding.from_claim,
                to_claim_id=finding.to_claim,
                kind=finding.kind,
                origin=ClaimRelation.Origin.DETECTOR,
                state=ClaimRelation.State.SUGGESTED,
                score=finding.score,
                explanation=finding.explanation,
            )
            row.full_clean(validate_constraints=False)
            row.save()
            result.created += 1
        elif (
            row.origin == ClaimRelation.Origin.DETECTOR
            and row.state == ClaimRelation.State.SUGGESTED
            and (row.score, row.explanation) != (finding.score, finding.explanation)
        ):
            row.score, row.explanation = finding.score, finding.explanation
            row.save(update_fields=["score", "explanation"])
            result.updated += 1
    stale = [
        row.pk
        for key, row in existing.items()
        if key not in wanted
        and row.origin == ClaimRelation.Origin.DETECTOR
        and row.state == ClaimRelation.State.SUGGESTED
    ]
    if stale:
        result.removed = ClaimRelation.objects.filter(pk__in=stale).delete()[0]
    return result


def _lock(question_id: int) -> None:
    # Two refreshes of one question at once would both find a pair missing and both insert it; holding the
    # question's row makes the second wait and then see the first one's rows.
    Question.objects.select_for_update().filter(pk=question_id).exists()


@transaction.atomic
def claim_relations_refresh(*, claim: Claim) -> RefreshResult:
    """Bring the detector's suggestions for `claim` up to date with its values and its question's other answers."""
    current = Claim.objects.select_related("question").only("status", "question").get(pk=claim.pk)
    findings: list[Finding] = []
    question = current.question
    if question is not None:
        _lock(question.pk)
        if current.status not in EXCLUDED_STATUSES:
            findings = compare_one(current.pk, question_answers(question), cumulative=question.cumulative)
    return _apply(findings, Q(from_claim=current.pk) | Q(to_claim=current.pk))


@transaction.atomic
def question_relations_refresh(*, question: Question) -> RefreshResult:
    """Recompare every pair of the question's answers."""
    _lock(question.pk)
    findings = compare_all(question_answers(question), cumulative=question.cumulative)
    return _apply(findings, Q(from_claim__question=question) & Q(to_claim__question=question))


def relations_refresh_all() -> RefreshResult:
    """Every question, one transaction each, then the suggestions left between claims that no longer share one."""
    result = RefreshResult()
    for question in Question.objects.order_by("pk").iterator():
        result += question_relations_refresh(question=question)
    with transaction.atomic():
        orphaned = (
            ClaimRelation.objects.filter(
                kind__in=DETECTED_KINDS, origin=ClaimRelation.Origin.DETECTOR, state=ClaimRelation.State.SUGGESTED
            )
            .filter(
                Q(from_claim__question__isnull=True)
                | Q(to_claim__question__isnull=True)
                | ~Q(from_claim__question=F("to_claim__question"))
            )
            .values_list("pk", flat=True)
        )
        result.removed += ClaimRelation.objects.filter(pk__in=list(orphaned)).delete()[0]
    return result
