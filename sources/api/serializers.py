"""Sources and appearances as the API reads and writes them.

Read and write shapes are separate serializers: reads nest related objects, writes take their ids.
"""

from __future__ import annotations

from rest_framework import serializers

from factcheck.api_fields import HttpUrlField, IdRelatedField
from sources.models import Appearance, Source
from sources.urlnorm import normalize_url


class SourceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ("id", "name", "kind")


class AppearanceBriefSerializer(serializers.ModelSerializer):
    """An appearance where another object mentions it. `url` is the document's address."""

    publisher_name = serializers.CharField(source="publisher.name", allow_null=True, read_only=True)

    class Meta:
        model = Appearance
        fields = ("id", "url", "title", "publisher_name", "published_on")


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="source-detail")
    parent = SourceBriefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Source
        fields = (
            "id",
            "url",
            "name",
            "kind",
            "description",
            "country",
            "aliases",
            "parent",
            "wikidata_id",
            "homepage",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class SourceWriteSerializer(serializers.ModelSerializer):
    serializer_related_field = IdRelatedField
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), max_length=50, required=False)
    homepage = HttpUrlField(max_length=500, allow_blank=True, required=False)

    class Meta:
        model = Source
        fields = ("name", "kind", "description", "country", "aliases", "parent", "wikidata_id", "homepage")


class AppearanceSerializer(serializers.ModelSerializer):
    """An appearance. It has no API link of its own: `url` is the document's address."""

    publisher = SourceBriefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Appearance
        fields = (
            "id",
            "url",
            "title",
            "publisher",
            "published_on",
            "language",
            "retrieved_at",
            "content_hash",
            "archive_url",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class AppearanceWriteSerializer(serializers.ModelSerializer):
    serializer_related_field = IdRelatedField
    url = HttpUrlField(max_length=2000, help_text="Normalised when stored: lower-case host, no tracking parameters.")
    archive_url = HttpUrlField(max_length=2000, allow_blank=True, required=False)

    class Meta:
        model = Appearance
        fields = (
            "url",
            "title",
            "publisher",
            "published_on",
            "language",
            "retrieved_at",
            "content_hash",
            "archive_url",
        )

    def validate_url(self, value: str) -> str:
        # Named here, on the field: the database's unique constraint would only say the row is refused.
        others = Appearance.objects.filter(url=normalize_url(value))
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError("This URL is already recorded.", code="unique")
        return value
