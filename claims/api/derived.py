"""What the API derives from a claim as it renders it: its independent origins (claims.crossref.origins) and its
consistency warnings (claims.crossref.consistency), with the shapes the OpenAPI schema gives them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.public import SourceRefSerializer
from claims.crossref.consistency import (
    AS_OF_AFTER_CLAIM,
    DATE_AFTER_CLAIM,
    IMPOSSIBLE_DATE,
    INVERTED_RANGE,
    WEEKDAY_MISMATCH,
    WORDS_DISAGREE,
)


class AppearanceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    url = serializers.URLField()


class OriginChainSerializer(serializers.Serializer):
    label = serializers.CharField(help_text='The chain in a few words: "Hamas via TASS".')
    path = SourceRefSerializer(many=True, help_text="The chain's sources from the page outwards.")
    appearance = AppearanceRefSerializer(allow_null=True)
    claim = serializers.IntegerField(allow_null=True, help_text="The claim the chain belongs to.")


class OriginSerializer(serializers.Serializer):
    source = SourceRefSerializer()
    chains = OriginChainSerializer(many=True)


class CircularSerializer(serializers.Serializer):
    sources = SourceRefSerializer(many=True)
    explanation = serializers.CharField()


class OriginsSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="Independent origins: distinct original speakers. Ten outlets citing one ministry count once."
    )
    unnamed_chains = serializers.IntegerField(help_text="Chains that end in unnamed sources (not counted above).")
    origins = OriginSerializer(many=True, help_text="Most-cited origin first.")
    circular = CircularSerializer(many=True, help_text="Circular reporting: chains that lead back to a relay.")


class DerivedField(serializers.Field):
    """Filled in by the claim serializer from what it renders (live or as approved), never read from the claim:
    what readers are told must come from what they are shown."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> None:
        return None

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field(OriginsSerializer)
class DerivedOriginsField(DerivedField):
    pass


class WarningSerializer(serializers.Serializer):
    value = serializers.IntegerField(help_text="Index of the value in `values`.")
    code = serializers.ChoiceField(
        choices=[
            (WEEKDAY_MISMATCH, "The words name a weekday the date does not fall on."),
            (IMPOSSIBLE_DATE, "The words name a date that does not exist in that year."),
            (INVERTED_RANGE, "The words give a range whose first end is above its second."),
            (WORDS_DISAGREE, "The words and the stored interval have no point in common."),
            (AS_OF_AFTER_CLAIM, "The figure is as of a date after the claim was made."),
            (DATE_AFTER_CLAIM, "The date lies after the claim was made."),
        ]
    )
    message = serializers.CharField()


@extend_schema_field(WarningSerializer(many=True))
class DerivedWarningsField(DerivedField):
    pass
