"""GET /api/v1/claims/{id}/related/: the claim's likely duplicates, related claims and recorded relations.

Readers ask about a published claim and get published claims, matched and shown as approved (the statement and
claimant of their current version), never live rows: a match on a live statement would tell them, by what is
listed, the words of an unpublished rewording. The desk gets every claim's live rows. See claims.related.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.reverse import reverse

from claims.api.serializers import RatingSerializer
from claims.models import Claim, ClaimRelation
from claims.related import DUPLICATE, Match, Subject, approved_subject, find_related, relations_touching
from factcheck.api_schema import ErrorEnvelope
from factcheck.roles import is_desk_member
from sources.api.serializers import SourceBriefSerializer

if TYPE_CHECKING:
    from rest_framework.request import Request

MAX_LIMIT = 50


class RelatedParamsSerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=10, required=False)


class RelatedClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    statement = serializers.CharField(help_text="For readers, as approved with the claim's current verdict.")
    claimant = SourceBriefSerializer(allow_null=True)
    current_rating = RatingSerializer(allow_null=True, help_text="The rating of the current published verdict.")
    score = serializers.FloatField(min_value=0, max_value=1, help_text="How alike the two claims are, 0 to 1.")
    reason = serializers.CharField(help_text='Why, in a few words: "same wording", "shares terms: ...".')


class RelationSerializer(serializers.ModelSerializer):
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = ClaimRelation
        fields = (
            "id",
            "from_claim",
            "kind",
            "to_claim",
            "state",
            "origin",
            "score",
            "explanation",
            "created_at",
            "decided_at",
        )
        read_only_fields = fields

    @extend_schema_field(
        serializers.CharField(
            allow_null=True,
            help_text="The desk's or the detector's note. Null for readers: it was written from the claims' live "
            "rows, which they are not shown.",
        )
    )
    def get_explanation(self, relation: ClaimRelation) -> str | None:
        return None if self.context.get("readers") else relation.explanation


class RelatedClaimsSerializer(serializers.Serializer):
    duplicates = RelatedClaimSerializer(
        many=True, help_text="Claims this one probably repeats, best first (none dismissed or itself a duplicate)."
    )
    related = RelatedClaimSerializer(many=True, help_text="Claims on the same matter, best first.")
    relations = RelationSerializer(many=True, help_text="Recorded relations from or to this claim, newest first.")


LIMIT = OpenApiParameter(
    "limit",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description=f"How many duplicates and related claims to return together, 1 to {MAX_LIMIT} (default 10).",
)


def _items(matches: list[Match], *, readers: bool, request: Request) -> list[dict[str, Any]]:
    """The matched claims as listed, in the matches' order: two queries (claims, their current verdicts)."""
    if not matches:
        return []
    ids = [match.claim_id for match in matches]
    if readers:
        claims = Claim.objects.filter(pk__in=ids).only("pk").with_current_verdict(approved=("statement", "claimant"))
    else:
        claims = (
            Claim.objects.filter(pk__in=ids)
            .only("pk", "statement", "claimant")
            .select_related("claimant")
            .with_current_verdict()
        )
    by_id = {claim.pk: claim for claim in claims}
    items = []
    for match in matches:
        claim = by_id.get(match.claim_id)
        current = claim.current_verdicts[0] if claim is not None and claim.current_verdicts else None
        if claim is None or (readers and current is None):
            continue  # deleted, or unpublished, since the match was read
        shown = current.published_claim if readers else {"statement": claim.statement, "claimant": claim.claimant}
        items.append(
            {
                "id": claim.pk,
                "url": reverse("claim-detail", kwargs={"pk": claim.pk}, request=request),
                "statement": shown["statement"],
                "claimant": shown["claimant"],
                "current_rating": current.rating if current is not None else None,
                "score": match.score,
                "reason": match.reason,
                "kind": match.kind,
            }
        )
    return items


class RelatedClaimsActions:
    """ClaimViewSet's `related` action."""

    @extend_schema(
        summary="Duplicates and related claims",
        description="Claims that probably repeat this one (`duplicates`: score at or above the duplicate threshold, "
        "and not dismissed or a duplicate themselves), claims on the same matter (`related`), best first, each with "
        "a score from 0 to 1 and the reason; and the relations recorded from or to this claim. Matched by full-text "
        "search and trigram similarity of the statements, with a bonus for the same question and claimant.\n\n"
        "Readers may ask about published claims only (any other id answers 404) and get published claims, matched "
        "on and shown with their statement as approved, and the confirmed relations between published claims. The "
        "desk gets every claim as it is now and every relation, suggested and dismissed ones included. Not paged: "
        "`limit` caps duplicates and related claims together.",
        parameters=[LIMIT],
        responses={
            200: RelatedClaimsSerializer,
            400: OpenApiResponse(ErrorEnvelope, description=f"`limit` is not a whole number from 1 to {MAX_LIMIT}."),
        },
    )
    @action(detail=True, methods=["get"], url_path="related", filter_backends=[], pagination_class=None)
    def related(self, request: Request, pk: str) -> Response:
        params = RelatedParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        readers = not is_desk_member(request.user)
        if readers:
            subject = approved_subject(_claim_id(pk))
            if subject is None:
                raise exceptions.NotFound()
        else:
            subject = Subject.live(
                get_object_or_404(Claim.objects.only("pk", "statement", "question", "claimant"), pk=pk)
            )
        matches = find_related(subject, readers=readers, limit=params.validated_data["limit"])
        items = _items(matches, readers=readers, request=request)
        relations = relations_touching(subject.claim_id, readers=readers)
        data = {
            "duplicates": [item for item in items if item["kind"] == DUPLICATE],
            "related": [item for item in items if item["kind"] != DUPLICATE],
            "relations": relations,
        }
        return Response(RelatedClaimsSerializer(data, context={"readers": readers}).data)


def _claim_id(pk: str) -> int:
    try:
        return int(pk)
    except ValueError as error:
        raise exceptions.NotFound() from error
