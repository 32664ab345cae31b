"""`GET /api/v1/sources/{id}/track-record/`: how the claims a source originated and relayed were rated.

Routed in factcheck.urls beside the sources' own routes: the view lives here because sources never import claims.
Public: the record is built only from current published versions and the claims as approved (claims.trackrecord),
so readers and the desk get the same numbers.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.models import Bucket
from claims.trackrecord import PERIODS, RECENT_MAX, ROLES, track_record
from factcheck.api_schema import ErrorEnvelope
from sources.api.serializers import SourceBriefSerializer
from sources.models import Source

RECENT_DEFAULT = 5


class BucketCountsSerializer(serializers.Serializer):
    """Claims per common bucket (RatingScale crosswalk); every bucket is present, zero or not."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            bucket: serializers.IntegerField(help_text=f"Claims rated {label.lower()}.")
            for bucket, label in Bucket.choices
        }


class RatingRefSerializer(serializers.Serializer):
    scale = serializers.SlugField(help_text="The rating scale's slug.")
    rating = serializers.SlugField(help_text="The rating's slug on that scale.")
    label = serializers.CharField()
    bucket = serializers.ChoiceField(choices=Bucket.choices)


class RatingCountSerializer(RatingRefSerializer):
    count = serializers.IntegerField()


class RecentClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.HyperlinkedIdentityField(view_name="claim-detail")
    statement = serializers.CharField(help_text="The statement as approved with the current version.")
    claim_date = serializers.DateField(allow_null=True, help_text="The claim date as approved.")
    published_at = serializers.DateTimeField(help_text="When the current version was published.")
    rating = RatingRefSerializer()


class TallySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    buckets = BucketCountsSerializer()


class RoleRecordSerializer(TallySerializer):
    ratings = RatingCountSerializer(
        many=True, help_text="Per rating, by scale, truest first; ratings never used are left out."
    )
    recent = RecentClaimSerializer(
        many=True, help_text="The claims whose current version was published last, newest first (`recent` of them)."
    )


class PeriodRecordSerializer(serializers.Serializer):
    label = serializers.CharField(
        allow_null=True, help_text="2024-02, 2024-Q1 or 2024; null for the claims that have no claim date."
    )
    start = serializers.DateField(allow_null=True, help_text="The period's first day; null for undated claims.")
    originated = TallySerializer()
    relayed = TallySerializer()


class TrackRecordSerializer(serializers.Serializer):
    source = SourceBriefSerializer()
    source_ids = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The sources counted: the source, and with include_children its descendants.",
    )
    period = serializers.ChoiceField(choices=PERIODS)
    include_children = serializers.BooleanField()
    originated = RoleRecordSerializer(
        help_text="Claims the source said first: it is the claimant as approved, or the origin of one of the chains."
    )
    relayed = RoleRecordSerializer(
        help_text="Claims the source passed on (it quotes, paraphrases or cites the next hop, or unnamed sources) "
        "and did not originate. A claim counts in one role at most."
    )
    periods = PeriodRecordSerializer(
        many=True,
        help_text="By the claim date as approved, oldest first; undated claims last. Empty periods are left out.",
    )


class TrackRecordQuerySerializer(serializers.Serializer):
    """The query parameters."""

    period = serializers.ChoiceField(
        choices=PERIODS, default="month", help_text="Count by month, quarter or year of the claim date as approved."
    )
    include_children = serializers.BooleanField(
        default=False,
        help_text="Count the source's descendants too (a government's ministries and their departments); a claim "
        "that names several of them counts once.",
    )
    recent = serializers.IntegerField(
        min_value=0, max_value=RECENT_MAX, default=RECENT_DEFAULT, help_text="How many claims of each role to list."
    )


class SourceTrackRecordView(APIView):
    """A source's track record, the same for readers and the desk."""

    @extend_schema(
        operation_id="sources_track_record",
        tags=["sources"],
        summary="A source's track record",
        description="How the claims the source originated and the claims it relayed were rated: counts per bucket "
        "and per rating, overall and by period of the claim date, with the latest claims of each role. Only current "
        "published verdicts count, each with the claim as it was approved (its claimant and chains then); void "
        f"versions count in no bucket. Roles: {', '.join(ROLES)}.",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The source's id."),
            TrackRecordQuerySerializer,
        ],
        responses={
            200: TrackRecordSerializer,
            400: OpenApiResponse(ErrorEnvelope, description="A query parameter is invalid."),
        },
    )
    def get(self, request: Request, id: int) -> Response:
        query = TrackRecordQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        source = get_object_or_404(Source.objects.all(), pk=id)
        record = track_record(source, **query.validated_data)
        return Response(TrackRecordSerializer(record, context=self._context(request)).data)

    def _context(self, request: Request) -> dict[str, Any]:
        return {"request": request, "view": self}
