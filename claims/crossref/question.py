"""A question with every answer to it: who gave it (the chain), the value, the verdict, and how the answers relate.

The desk sees every claim answering the question, live, with every relation among them (suggestions included).
Readers see the published claims only, each as approved with its current version (Verdict.claim_snapshot), and the
relations an editor confirmed between them: what the desk has not approved or decided stays the desk's.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.db.models.fields.json import KT
from rest_framework.renderers import JSONRenderer
from rest_framework.reverse import reverse

from claims.crossref.compare import compare_all
from claims.crossref.detect import EXCLUDED_STATUSES, answers_from_values, claim_label
from claims.crossref.origins import independent_origins
from claims.models import Attribution, Claim, ClaimRelation, ClaimStatus, Question, Verdict
from factcheck.roles import is_desk_member

if TYPE_CHECKING:
    from rest_framework.request import Request

    from claims.crossref.compare import Answer


def _verdict_brief(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    rating = verdict.rating
    return {
        "version": verdict.version,
        "rating": None
        if rating is None
        else {"slug": rating.slug, "label": rating.label, "bucket": rating.bucket, "scale": rating.scale.slug},
        "summary": verdict.summary,
        "published_at": verdict.published_at,
    }


def _desk_answers(question: Question) -> list[dict[str, Any]]:
    from claims.api.public import ChainSerializer, ValueSerializer

    claims = (
        Claim.objects.filter(question=question)
        .select_related("claimant")
        .defer("search_vector")
        .prefetch_related(
            Prefetch(
                "attributions",
                queryset=Attribution.objects.select_related("source", "appearance__publisher").order_by(
                    "appearance_id", "position"
                ),
            ),
            "values",
        )
        .with_current_verdict()
        .order_by("id")
    )
    answers = []
    for claim in claims:
        chains = []
        for hop in claim.attributions.all():
            if not chains or chains[-1]["appearance_id"] != hop.appearance_id:
                chains.append({"appearance_id": hop.appearance_id, "appearance": hop.appearance, "hops": []})
            chains[-1]["hops"].append(hop)
        for chain in chains:
            last = chain["hops"][-1]
            chain["origin"] = last.source if last.relation == "publishes" else None
        answers.append(
            {
                "id": claim.pk,
                "statement": claim.statement,
                "claimant": None
                if claim.claimant is None
                else {"id": claim.claimant.pk, "name": claim.claimant.name, "kind": claim.claimant.kind},
                "claim_date": claim.claim_date,
                "status": claim.status,
                "current_verdict": _verdict_brief(claim.current_verdicts[0] if claim.current_verdicts else None),
                "attributions": ChainSerializer(chains, many=True).data,
                "values": ValueSerializer(claim.values.all(), many=True).data,
                "_when": claim.claim_date,
            }
        )
    return answers


def _reader_answers(question: Question) -> list[dict[str, Any]]:
    # verdict_current_question_idx serves this lookup: the current versions whose approved claim answers the question.
    shown = (
        Verdict.objects.current()
        .alias(question_id=KT("claim_snapshot__question__id"))
        .filter(question_id=str(question.pk))
        .select_related("rating__scale")
        .order_by("claim_id")
    )
    answers = []
    for verdict in shown:
        approved = verdict.claim_snapshot
        answers.append(
            {
                "id": verdict.claim_id,
                "statement": approved["statement"],
                "claimant": approved["claimant"],
                "claim_date": approved["claim_date"],
                "status": ClaimStatus.PUBLISHED.value,
                "current_verdict": _verdict_brief(verdict),
                "attributions": approved["attributions"],
                "values": approved["values"],
                "_when": approved["claim_date"],
            }
        )
    return answers


def question_view(question: Question, *, user: Any, request: Request | None = None) -> dict[str, Any]:
    """The question's answers, the relations among them and their independent origins, as plain JSON data."""
    desk = is_desk_member(user)
    answers = _desk_answers(question) if desk else _reader_answers(question)
    ids = [answer["id"] for answer in answers]
    relations = ClaimRelation.objects.filter(from_claim__in=ids, to_claim__in=ids)
    if not desk:
        relations = relations.filter(state=ClaimRelation.State.CONFIRMED)
    chains: list[dict[str, Any]] = []
    chain_claims: list[int] = []
    for answer in answers:
        chains += answer["attributions"]
        chain_claims += [answer["id"]] * len(answer["attributions"])
        answer["source"] = claim_label(answer["attributions"], (answer["claimant"] or {}).get("name"), answer["id"])
        answer["url"] = reverse("claim-detail", kwargs={"pk": answer["id"]}, request=request)
        answer["answers"] = answer["status"] not in EXCLUDED_STATUSES
    reworded = None if desk else _explanations(answers, question.cumulative)
    data = {
        "answers": answers,
        "relations": [
            {
                "id": relation.pk,
                "from_claim": relation.from_claim_id,
                "to_claim": relation.to_claim_id,
                "kind": relation.kind,
                "origin": relation.origin,
                "state": relation.state,
                "score": relation.score,
                "explanation": relation.explanation
                if reworded is None
                else reworded.get(_pair(relation.from_claim_id, relation.to_claim_id, relation.kind)),
            }
            for relation in relations.order_by("id")
        ],
        "origins": independent_origins(chains, chain_claims),
    }
    for answer in answers:
        del answer["_when"]
    # Through the API's renderer and back, so dates and decimals are the strings every other response carries.
    return json.loads(JSONRenderer().render(data))


def _pair(first: int, second: int, kind: str) -> tuple[frozenset[int], str]:
    return frozenset((first, second)), kind


def _explanations(answers: list[dict[str, Any]], cumulative: bool) -> dict[tuple[frozenset[int], str], str]:
    """The findings' sentences worded from the answers shown (for readers: as approved), by pair of claims and kind.

    A stored explanation was written from the desk's live rows when the detector ran; readers must not read an
    unpublished value or chain in it, so theirs is worded again from what they are shown.
    """
    when = {answer["id"]: answer["_when"] for answer in answers}
    intervals: list[Answer] = []
    for answer in answers:
        moment = when[answer["id"]]
        intervals += answers_from_values(
            answer["id"],
            answer["source"],
            answer["values"],
            dt.date.fromisoformat(moment) if isinstance(moment, str) else moment,
        )
    return {
        _pair(finding.from_claim, finding.to_claim, finding.kind): finding.explanation
        for finding in compare_all(intervals, cumulative=cumulative)
    }
