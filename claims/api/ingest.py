"""POST /api/v1/articles/ingest/: an article's candidate claims proposed (dry run) or created as `new` claims.

Editors only: ingesting creates claims, sources and an appearance in one go, which is the editors' triage work;
fact-checkers get 403, anonymous requests 401 (claims.services.article_ingest does the work).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.values import ParsedValueSerializer
from claims.ingest import DEFAULT_MIN_SCORE
from claims.models import ClaimKind, HopRelation
from claims.services import IngestResult, article_ingest
from claims.services.ingest import MAX_TEXT_LENGTH, IngestedClaim
from claims.values import to_json
from factcheck.api_schema import AutoSchema
from factcheck.roles import is_editor


class EditorsOnly(BasePermission):
    message = "Only editors ingest articles."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_editor(request.user)


class ArticleIngestRequestSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=MAX_TEXT_LENGTH,
        trim_whitespace=False,
        help_text="The article's text, paragraphs on their own lines.",
    )
    url = serializers.URLField(max_length=2000, help_text="Where the article is published; stored normalised.")
    publisher = serializers.CharField(max_length=200, help_text="Who publishes it: hop 0 of every chain.")
    published = serializers.DateField(help_text="Its date: the year of dates written without one.")
    title = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    language = serializers.CharField(max_length=16, required=False, default="en", help_text="BCP 47 tag.")
    dry_run = serializers.BooleanField(required=False, default=False, help_text="Propose only; write nothing.")
    min_score = serializers.FloatField(
        min_value=0,
        max_value=1,
        required=False,
        default=DEFAULT_MIN_SCORE,
        help_text="Check-worthiness a sentence needs to be proposed (README: Article ingestion).",
    )


class ProposedHopSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="0 for the publisher, then outwards.")
    source = serializers.CharField(help_text="The source's name as the text gives it.")
    source_id = serializers.IntegerField(
        allow_null=True, help_text="The source it was resolved to; null in a dry run or for a claim ingested before."
    )
    relation = serializers.ChoiceField(choices=HopRelation.choices)
    excerpt = serializers.CharField(allow_blank=True, help_text="The words that show this hop.")


class IngestCandidateSerializer(serializers.Serializer):
    sentence = serializers.CharField()
    start = serializers.IntegerField(help_text="Offset of the sentence in the text.")
    end = serializers.IntegerField()
    score = serializers.FloatField(help_text="Check-worthiness, 0-1.")
    features = serializers.ListField(child=serializers.CharField(), help_text="The scoring features that counted.")
    kind = serializers.ChoiceField(choices=ClaimKind.choices)
    quote = serializers.CharField(help_text="The verbatim words: the quotation, or the sentence.")
    values = ParsedValueSerializer(many=True, help_text="Quantities and dates read from the sentence.")
    hops = ProposedHopSerializer(many=True)
    outcome = serializers.ChoiceField(
        choices=["proposed", "created", "present"],
        help_text="proposed: a dry run's candidate; created: a new claim; present: ingested before.",
    )
    claim = serializers.IntegerField(allow_null=True, help_text="The claim's id once created (or found).")


class ArticleIngestResultSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The article's address, normalised.")
    dry_run = serializers.BooleanField()
    appearance = serializers.IntegerField(
        allow_null=True, help_text="The appearance's id; null in a dry run of a new URL."
    )
    appearance_created = serializers.BooleanField()
    created = serializers.IntegerField(help_text="Claims created by this request.")
    present = serializers.IntegerField(help_text="Candidates already ingested from this URL.")
    candidates = IngestCandidateSerializer(many=True)


def _candidate(item: IngestedClaim) -> dict[str, Any]:
    candidate = item.candidate
    sources = list(item.sources) or [None] * len(candidate.hops)
    return {
        "sentence": candidate.sentence,
        "start": candidate.span[0],
        "end": candidate.span[1],
        "score": candidate.score,
        "features": list(candidate.features),
        "kind": candidate.kind,
        "quote": candidate.quote,
        "values": [{"expression": m.text, **to_json(m.value)} for m in candidate.values if m.value is not None],
        "hops": [
            {
                "position": position,
                "source": hop.source,
                "source_id": source.pk if source is not None else None,
                "relation": hop.relation,
                "excerpt": hop.excerpt,
            }
            for position, (hop, source) in enumerate(zip(candidate.hops, sources, strict=True))
        ],
        "outcome": "created" if item.created else ("present" if item.claim is not None else "proposed"),
        "claim": item.claim.pk if item.claim is not None else None,
    }


def result_data(result: IngestResult) -> dict[str, Any]:
    return {
        "url": result.url,
        "dry_run": result.dry_run,
        "appearance": result.appearance.pk if result.appearance is not None else None,
        "appearance_created": result.appearance_created,
        "created": result.created,
        "present": result.present,
        "candidates": [_candidate(item) for item in result.claims],
    }


class ArticleIngestSchema(AutoSchema):
    def _error_responses(self) -> dict[str, str]:
        return {
            "400": "The body is invalid; each error names the field.",
            "401": "No valid credentials were given.",
            "403": "Only editors ingest articles.",
            "409": "The change conflicts with the data already stored.",
        }


class ArticleIngestView(APIView):
    """Splits an article into sentences, proposes the checkable ones with their check-worthiness, attribution chain
    and values, and (unless `dry_run`) creates them as `new` claims on the article's appearance.

    Re-ingesting a URL creates no claim twice: candidates ingested before answer `present` with their claim. 201
    when this request created the appearance or a claim, else 200.
    """

    permission_classes = [EditorsOnly]
    schema = ArticleIngestSchema()

    @extend_schema(
        operation_id="articles_ingest",
        request=ArticleIngestRequestSerializer,
        responses={200: ArticleIngestResultSerializer, 201: ArticleIngestResultSerializer},
        examples=[
            OpenApiExample(
                "Dry run",
                value={
                    "text": "According to the Ministry of Health, 40 people died on Monday, February 26.",
                    "url": "https://news.example/2024/02/29/report",
                    "publisher": "Example News",
                    "published": "2024-02-29",
                    "dry_run": True,
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = ArticleIngestRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = article_ingest(actor=request.user, **serializer.validated_data)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from error
        wrote = result.appearance_created or result.created > 0
        return Response(result_data(result), status=status.HTTP_201_CREATED if wrote else status.HTTP_200_OK)
