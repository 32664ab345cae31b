"""The shape of an independent-origins report (claims.crossref.origins), for claims and questions alike."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.public import SourceRefSerializer


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


@extend_schema_field(OriginsSerializer)
class DerivedOriginsField(serializers.Field):
    """Filled in by the claim serializer from the chains it renders (live or as approved), never read from the claim:
    readers' origins must come from the chains they are shown."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> None:
        return None

    def to_representation(self, value: Any) -> Any:
        return value
