"""ClaimReview over the API: one claim's review, the feed of all of them, and the editors' import.

Built from published verdicts only, whoever asks: the desk gets the same documents as readers (a claim without a
current published verdict has no review, so 404 for everyone), each from the claim as approved with the version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.claimreview import PayloadError, claimreview_document, feed_document, mapping_from
from claims.models import RatingScale, Verdict
from claims.publishing import publisher_of, review_url
from claims.services.claimreview import claimreview_import
from factcheck.api_schema import ErrorEnvelope
from factcheck.pagination import CursorPagination
from factcheck.renderers import JSONRenderer
from factcheck.roles import is_editor
from sources.models import Source


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


# JSON-LD by default; clients that ask for plain JSON get the same document as application/json.
RENDERERS = [JSONLDRenderer, JSONRenderer]

CLAIMREVIEW_SCHEMA = {
    "type": "object",
    "description": "A schema.org ClaimReview (JSON-LD).",
    "required": ["@context", "@type", "url", "claimReviewed", "datePublished", "author", "reviewRating"],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri"},
        "claimReviewed": {"type": "string"},
        "description": {"type": "string"},
        "datePublished": {"type": "string", "format": "date"},
        "dateModified": {"type": "string", "format": "date-time"},
        "inLanguage": {"type": "string"},
        "author": {"type": "object", "additionalProperties": True},
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName"],
            "properties": {
                "@type": {"type": "string"},
                "alternateName": {"type": "string"},
                "ratingValue": {"type": "integer"},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
            },
        },
        "itemReviewed": {"type": "object", "additionalProperties": True},
        "correction": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
    },
}
FEED_SCHEMA = {
    "type": "object",
    "description": "A schema.org DataFeed of ClaimReviews (JSON-LD); `next` and `previous` are Hydra's paging links.",
    "required": ["@context", "@type", "dataFeedElement"],
    "properties": {
        "@context": {"type": "array", "items": {}},
        "@type": {"type": "string", "enum": ["DataFeed"]},
        "name": {"type": "string"},
        "dateModified": {"type": "string", "format": "date-time"},
        "dataFeedElement": {
            "type": "array",
            "items": {**CLAIMREVIEW_SCHEMA, "required": CLAIMREVIEW_SCHEMA["required"][1:]},
        },
        "next": {"type": "string", "format": "uri"},
        "previous": {"type": "string", "format": "uri"},
    },
}
UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    OpenApiParameter.QUERY,
    description="ISO 8601 date-time: only the reviews whose current version was published at or after it (a "
    "correction publishes a new version, superseding the old one).",
)


def current_verdicts() -> QuerySet[Verdict]:
    """Every claim's current published version, with what its ClaimReview reads (the first version's date)."""
    first = Verdict.objects.filter(claim=OuterRef("claim"), version=1).values("published_at")[:1]
    return (
        Verdict.objects.current()
        .select_related("rating__scale", "publisher")
        .annotate(first_published_at=Subquery(first))
    )


def claimreview_documents(
    verdicts: Sequence[Verdict], request: Request | None, *, context: bool
) -> list[dict[str, Any]]:
    """The ClaimReview of each verdict, in two more queries whatever their number: claimants and corrections."""
    if not verdicts:
        return []
    claimant_ids = {v.claim_snapshot["claimant"]["id"] for v in verdicts if (v.claim_snapshot or {}).get("claimant")}
    claimants = {source.pk: source for source in Source.objects.filter(pk__in=claimant_ids)}
    corrections: dict[int, list[Verdict]] = {}
    earlier = Verdict.objects.published().filter(claim_id__in=[v.claim_id for v in verdicts], version__gt=1)
    for version in earlier.only("claim_id", "version", "correction_kind", "correction_note", "published_at"):
        corrections.setdefault(version.claim_id, []).append(version)
    documents = []
    for verdict in verdicts:
        speaker = (verdict.claim_snapshot or {}).get("claimant")
        documents.append(
            claimreview_document(
                verdict,
                url=review_url(verdict, request),
                publisher=publisher_of(verdict),
                first_published_at=verdict.first_published_at,
                claimant=claimants.get(speaker["id"]) if speaker else None,
                corrections=[c for c in corrections.get(verdict.claim_id, []) if c.version <= verdict.version],
                context=context,
            )
        )
    return documents


class ClaimReviewActions:
    """GET /claims/{id}/claimreview/, mixed into ClaimViewSet."""

    @extend_schema(
        summary="The claim's ClaimReview (schema.org JSON-LD)",
        description="The schema.org ClaimReview of the claim's current published verdict, built from the claim as "
        "it was approved with that version. 404 for a claim without a published verdict, whoever asks. "
        "Corrections appear as `correction` (CorrectionComment), with the latest as `dateModified`.",
        responses={
            200: OpenApiResponse(CLAIMREVIEW_SCHEMA, description="application/ld+json"),
            404: OpenApiResponse(ErrorEnvelope, description="No such claim, or it has no published verdict."),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="claimreview",
        url_name="claimreview",
        renderer_classes=RENDERERS,
        filter_backends=[],
        pagination_class=None,
    )
    def claimreview(self, request: Request, pk: str) -> Response:
        if not pk.isdigit():
            raise Http404
        verdict = current_verdicts().filter(claim_id=int(pk)).first()
        if verdict is None:
            raise Http404
        return Response(claimreview_documents([verdict], request, context=True)[0])


class FeedPagination(CursorPagination):
    page_size = 100
    max_page_size = 500


class ClaimReviewFeedView(GenericAPIView):
    """GET /claimreview/: every published ClaimReview as a schema.org DataFeed, oldest publication first.

    Pages by (published_at, id) of the current versions, so a client that follows `next` to the end and then asks
    with `updated_since` set to the feed's `dateModified` gets exactly what was published or corrected since.
    """

    renderer_classes = RENDERERS
    pagination_class = FeedPagination
    filter_backends: list[Any] = []
    ordering = ("published_at", "id")

    def get_queryset(self) -> QuerySet[Verdict]:
        return current_verdicts()

    @extend_schema(
        summary="Every published ClaimReview, as a schema.org DataFeed",
        parameters=[UPDATED_SINCE],
        responses={
            200: OpenApiResponse(FEED_SCHEMA, description="application/ld+json"),
            400: OpenApiResponse(ErrorEnvelope, description="`updated_since`, `cursor` or `page_size` is invalid."),
        },
    )
    def get(self, request: Request) -> Response:
        verdicts = self.get_queryset()
        raw = request.query_params.get("updated_since")
        if raw is not None:
            try:
                since = serializers.DateTimeField().to_internal_value(raw)
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"updated_since": error.detail}) from error
            verdicts = verdicts.filter(published_at__gte=since)
        page = self.paginate_queryset(verdicts)
        # The feed changes when a version is published, superseding another or not: its latest publication.
        modified = Verdict.objects.published().aggregate(latest=Max("published_at"))["latest"]
        paginator = self.paginator
        body = feed_document(
            claimreview_documents(page, request, context=False),
            modified=modified,
            next_url=paginator.get_next_link(),
            previous_url=paginator.get_previous_link(),
        )
        links = [
            f'<{url}>; rel="{rel}"' for rel, url in (("next", body.get("next")), ("prev", body.get("previous"))) if url
        ]
        return Response(body, headers={"Link": ", ".join(links)} if links else None)


class EditorsOnly(BasePermission):
    """Importing publishes verdicts, which only editors do."""

    message = "Only editors import reviews: an import publishes verdicts."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_editor(request.user)


IMPORT_REPORT_SCHEMA = {
    "type": "object",
    "required": ["created", "present", "skipped", "claims", "dry_run"],
    "properties": {
        "created": {"type": "integer", "description": "Reviews imported as new published claims."},
        "present": {"type": "integer", "description": "Reviews imported before (by url, @id or identifier)."},
        "skipped": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["index", "url", "field", "message"],
                "properties": {
                    "index": {"type": "integer"},
                    "url": {"type": "string"},
                    "field": {"type": "string", "nullable": True},
                    "message": {"type": "string"},
                },
            },
        },
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["index", "url", "claim", "status"],
                "properties": {
                    "index": {"type": "integer"},
                    "url": {"type": "string"},
                    "claim": {"type": "integer"},
                    "status": {"type": "string", "enum": ["created", "present"]},
                },
            },
        },
        "dry_run": {"type": "boolean"},
    },
}
IMPORT_BODY_SCHEMA = {
    "description": "A ClaimReview object, an array of them, or a DataFeed; or an object "
    '`{"reviews": <any of those>, "mapping": {"<rating text>": "<rating slug>"}, "scale": "<scale slug>", '
    '"dry_run": false}`.',
    "oneOf": [{"type": "object", "additionalProperties": True}, {"type": "array", "items": {}}],
}


class BodyTooLarge(APIException):
    status_code = 413
    default_code = "too_large"
    default_detail = "The body is too large: split the reviews over several requests."


class ClaimReviewImportView(APIView):
    """POST /claimreview/import/: editors import reviews other fact-checkers published."""

    permission_classes = [EditorsOnly]

    @extend_schema(
        summary="Import ClaimReview documents as published verdicts (editors)",
        description="Each review is mapped onto a rating scale (default: the default scale) by its "
        "`reviewRating.alternateName` (case and punctuation ignored) through the mapping — the built-in one for the "
        "scale, overridden by `mapping` — or the scale's own labels, else by `ratingValue` when `bestRating` and "
        "`worstRating` are the scale's own. Unknown ratings, and reviews that are not ClaimReview or lack what an "
        "import needs, are reported in `skipped` and the others imported. A review imported before (same url, "
        "@id or identifier) is `present` and changes nothing.",
        request={"application/json": IMPORT_BODY_SCHEMA},
        responses={
            200: OpenApiResponse(IMPORT_REPORT_SCHEMA, description="What was imported and what was skipped, why."),
            400: OpenApiResponse(ErrorEnvelope, description="The body is not ClaimReview at all (the field says why)."),
            401: OpenApiResponse(ErrorEnvelope, description="Sign in or send an API key."),
            403: OpenApiResponse(ErrorEnvelope, description="Only editors import."),
            413: OpenApiResponse(ErrorEnvelope, description="The body is larger than DJANGO_MAX_REQUEST_BYTES."),
        },
        examples=[
            OpenApiExample(
                "One review",
                request_only=True,
                value={
                    "@context": "https://schema.org",
                    "@type": "ClaimReview",
                    "url": "https://factchecker.example.org/reviews/1",
                    "claimReviewed": "The bridge cost a billion.",
                    "datePublished": "2024-03-01",
                    "author": {"@type": "Organization", "name": "Example Fact Checker"},
                    "reviewRating": {"@type": "Rating", "alternateName": "Mostly false"},
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        # DRF's parsers read the stream, past Django's own check of DATA_UPLOAD_MAX_MEMORY_SIZE: refuse here, unread.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise BodyTooLarge()
        data = request.data
        options: dict[str, Any] = {}
        if isinstance(data, dict) and "reviews" in data and "@type" not in data:
            options, data = data, data["reviews"]
        try:
            mapping = mapping_from(options.get("mapping"))
            scale = self._scale(options.get("scale"))
            dry_run = options.get("dry_run", False)
            if not isinstance(dry_run, bool):
                raise PayloadError("dry_run", "Expected true or false.")
            report = claimreview_import(payload=data, actor=request.user, scale=scale, mapping=mapping, dry_run=dry_run)
        except PayloadError as error:
            raise serializers.ValidationError({error.field: [error.message]}) from None
        return Response(report.as_dict())

    @staticmethod
    def _scale(slug: Any) -> RatingScale | None:
        if slug is None:
            return None
        scale = RatingScale.objects.filter(slug=slug).first() if isinstance(slug, str) else None
        if scale is None:
            raise PayloadError("scale", f"No rating scale {slug!r}.")
        return scale
