"""The cross-reference panels of the admin: a question's answers on one axis, and a claim's relations and origins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse

from claims.admin.charts import interval_chart, stances
from claims.crossref.compare import interval_words
from claims.crossref.consistency import claim_warnings
from claims.crossref.detect import answers_from_values, chain_dicts, claim_label, value_dict
from claims.crossref.origins import independent_origins
from claims.crossref.question import question_view
from claims.models import Attribution, ClaimRelation
from factcheck.roles import is_editor

if TYPE_CHECKING:
    from django.http import HttpRequest

    from claims.models import Claim, Question


def _decide_urls(relation_id: int) -> dict[str, str]:
    return {
        decision: reverse("admin:claims_claimrelation_decide", args=[relation_id, decision])
        for decision in ("confirm", "dismiss")
    }


def question_panel(question: Question, request: HttpRequest) -> dict[str, Any]:
    """What the question page shows under the form: the chart, the answers, the relations, the origins."""
    data = question_view(question, user=request.user, request=request)
    answers = data["answers"]
    intervals = []
    rows = []
    for answer in answers:
        parsed = answers_from_values(answer["id"], answer["source"], answer["values"], None)
        if answer["answers"]:
            intervals += parsed
        verdict = answer["current_verdict"]
        rows.append(
            {
                "id": answer["id"],
                "change_url": reverse("admin:claims_claim_change", args=[answer["id"]]),
                "statement": answer["statement"],
                "status": answer["status"],
                "answers": answer["answers"],
                "source": answer["source"],
                "values": [f"{interval_words(value)} (“{value.expression}”)" for value in parsed],
                "rating": verdict["rating"]["label"] if verdict and verdict["rating"] else "",
            }
        )
    relations = [
        {
            **relation,
            **_decide_urls(relation["id"]),
            "label": f"#{relation['from_claim']} {ClaimRelation.Kind(relation['kind']).label} #{relation['to_claim']}",
        }
        for relation in data["relations"]
    ]
    return {
        "chart": interval_chart(intervals, stances(data["relations"])),
        "answers": rows,
        "relations": relations,
        "origins": data["origins"],
        "can_decide": is_editor(request.user),
        "next": request.get_full_path(),
    }


def claim_panel(claim: Claim, request: HttpRequest) -> dict[str, Any]:
    """The claim page's cross-reference panel: its relations with other claims (both ways) and its origins."""
    relations = (
        ClaimRelation.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
        .select_related("from_claim", "to_claim")
        .order_by("state", "-score", "id")
    )
    rows = []
    for relation in relations:
        other = relation.to_claim if relation.from_claim_id == claim.pk else relation.from_claim
        rows.append(
            {
                "id": relation.pk,
                "label": (
                    f"this claim {relation.get_kind_display()} #{other.pk}"
                    if relation.from_claim_id == claim.pk
                    else f"#{other.pk} {relation.get_kind_display()} this claim"
                )
                + f": {other}",
                "other": other,
                "other_url": reverse("admin:claims_claim_change", args=[other.pk]),
                "origin": relation.origin,
                "state": relation.state,
                "score": relation.score,
                "explanation": relation.explanation,
                **_decide_urls(relation.pk),
            }
        )
    hops = (
        Attribution.objects.filter(claim=claim)
        .select_related("source", "appearance")
        .order_by("appearance_id", "position")
    )
    chains = chain_dicts(hops)
    appearance = claim.first_appearance
    checked = {
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else None,
        "first_appearance": {"published_on": appearance.published_on.isoformat()}
        if appearance is not None and appearance.published_on
        else None,
        "values": [value_dict(value) for value in claim.values.all()],
    }
    return {
        "warnings": claim_warnings(checked),
        "relations": rows,
        "origins": independent_origins(chains),
        "source": claim_label(chains, None, claim.pk),
        "can_decide": is_editor(request.user),
        "next": request.get_full_path(),
    }
