"""The claim as readers see it: the shapes an approval captures and readers are served.

`ClaimPublicSerializer` renders a claim's own fields and parts (no id, workflow status, times or verdicts) from its
live rows. An approval stores its output in `Verdict.claim_snapshot` (claims.snapshot), and readers are served that
snapshot; the desk's claim representations (claims.api.serializers) declare the same fields by inheriting from these
classes, so what the desk sees live and what readers see as approved cannot drift apart in shape.

This module imports no services, so the services can build snapshots with it.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

from django.contrib.postgres.fields.ranges import DateRange, NumericRange
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.attribution import origin_position
from claims.models import Attribution, Claim, ClaimValue, Evidence, Question
from sources.api.serializers import AppearanceBriefSerializer, SourceBriefSerializer
from sources.models import Source

# The claim's own fields that readers get in lists, and the parts the detail adds. A snapshot holds both; adding a
# name here needs a data migration that adds it to the snapshots already taken (readers of old versions get a
# KeyError, not a silent null).
CONTENT_FIELDS = (
    "statement",
    "quote",
    "kind",
    "claimant",
    "claim_date",
    "language",
    "tags",
    "question",
    "first_appearance",
)
PART_FIELDS = ("attributions", "values", "evidence")
PUBLIC_FIELDS = (*CONTENT_FIELDS, *PART_FIELDS)


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ("id", "name")


class QuestionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ("id", "text")


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "description": "Quantities: a decimal number as a string, null for an unbounded end. Dates: an ISO date.",
        "example": "900",
    }
)
class IntervalEndField(serializers.Field):
    """One end of a value's interval. Parsed as a number or a date once the value's kind is known."""

    default_error_messages = {"invalid": "Give a number or an ISO date as a string, or null."}

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            self.fail("invalid")
        return str(data).strip()

    def to_representation(self, value: Any) -> str | None:
        if value is None:
            return None
        return value.isoformat() if isinstance(value, dt.date) else str(value)


class ValueSerializer(serializers.ModelSerializer):
    """A claim's value. Date intervals read back as PostgreSQL stores them: [first day, day after the last)."""

    low = serializers.SerializerMethodField()
    high = serializers.SerializerMethodField()
    low_inclusive = serializers.SerializerMethodField()
    high_inclusive = serializers.SerializerMethodField()

    class Meta:
        model = ClaimValue
        fields = (
            "id",
            "kind",
            "expression",
            "low",
            "high",
            "low_inclusive",
            "high_inclusive",
            "qualifier",
            "unit",
            "precision",
            "as_of",
            "place",
        )
        read_only_fields = fields

    @staticmethod
    def _interval(value: ClaimValue) -> NumericRange | DateRange:
        return value.quantity if value.quantity is not None else value.dates

    @extend_schema_field(IntervalEndField(allow_null=True))
    def get_low(self, value: ClaimValue) -> str | None:
        return IntervalEndField().to_representation(self._interval(value).lower)

    @extend_schema_field(IntervalEndField(allow_null=True))
    def get_high(self, value: ClaimValue) -> str | None:
        return IntervalEndField().to_representation(self._interval(value).upper)

    def get_low_inclusive(self, value: ClaimValue) -> bool:
        return bool(self._interval(value).lower_inc)

    def get_high_inclusive(self, value: ClaimValue) -> bool:
        return bool(self._interval(value).upper_inc)


class HopSerializer(serializers.ModelSerializer):
    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = Attribution
        fields = ("position", "source", "relation", "quote_excerpt")
        read_only_fields = fields


class ChainSerializer(serializers.Serializer):
    """The hops by which the claim reached one appearance, from the page outwards."""

    appearance = AppearanceBriefSerializer(allow_null=True, read_only=True)
    hops = HopSerializer(many=True, read_only=True)
    origin = SourceRefSerializer(
        allow_null=True, read_only=True, help_text="The original speaker; null when the chain ends in unnamed sources."
    )


class EvidenceSerializer(serializers.ModelSerializer):
    appearance = AppearanceBriefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Evidence
        fields = ("id", "url", "appearance", "title", "stance", "note", "archive_url", "created_at")
        read_only_fields = fields


class ClaimContentSerializer(serializers.ModelSerializer):
    """The claim's own fields, as lists show them."""

    claimant = SourceBriefSerializer(allow_null=True, read_only=True)
    question = QuestionBriefSerializer(allow_null=True, read_only=True)
    first_appearance = AppearanceBriefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Claim
        fields = CONTENT_FIELDS
        read_only_fields = fields


class ClaimPublicSerializer(ClaimContentSerializer):
    """The claim's own fields and parts: what a second person approves, and what readers then see.

    Needs the claim loaded with ClaimQuerySet.with_public_parts() (hops ordered by appearance, then position).
    """

    attributions = serializers.SerializerMethodField()
    values = ValueSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta(ClaimContentSerializer.Meta):
        fields = PUBLIC_FIELDS
        read_only_fields = fields

    @extend_schema_field(ChainSerializer(many=True))
    def get_attributions(self, claim: Claim) -> list[dict[str, Any]]:
        chains = []
        for _appearance_id, group in groupby(claim.attributions.all(), key=lambda hop: hop.appearance_id):
            hops = list(group)
            origin = origin_position([hop.relation for hop in hops])
            chains.append(
                {
                    "appearance": hops[0].appearance,
                    "hops": hops,
                    "origin": hops[origin].source if origin is not None else None,
                }
            )
        return ChainSerializer(chains, many=True, context=self.context).data
