"""Claims, verdicts, questions and rating scales as the API reads and writes them.

Read and write shapes are separate serializers: reads nest related objects, writes take their ids. Write
serializers only check shape; the services in claims.services apply the rules and write.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib.postgres.fields.ranges import DateRange, NumericRange
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.derived import DerivedOriginsField, DerivedWarningsField
from claims.api.public import (
    PART_FIELDS,
    PUBLIC_FIELDS,
    ClaimContentSerializer,
    ClaimPublicSerializer,
    IntervalEndField,
)
from claims.attribution import chain_errors
from claims.crossref.consistency import claim_warnings
from claims.crossref.origins import independent_origins
from claims.models import (
    Claim,
    ClaimStatus,
    ClaimValue,
    Evidence,
    HopRelation,
    Question,
    Rating,
    RatingScale,
    Verdict,
)
from claims.services import Chain, Hop
from claims.values import NumberError, number_end
from factcheck.api_fields import HttpUrlField, IdRelatedField
from sources.api.serializers import SourceBriefSerializer
from sources.models import Appearance, Source

MAX_ITEMS = 100


class QuestionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="question-detail")

    class Meta:
        model = Question
        fields = ("id", "url", "text", "kind", "unit", "cumulative", "description", "created_at", "updated_at")
        read_only_fields = fields


class QuestionWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ("text", "kind", "unit", "cumulative", "description")
        extra_kwargs = {"description": {"max_length": 10_000}}


class RatingSerializer(serializers.ModelSerializer):
    scale = serializers.CharField(source="scale.slug", read_only=True, help_text="Slug of the rating scale.")

    class Meta:
        model = Rating
        fields = ("slug", "label", "bucket", "scale")


class ScaleRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ("slug", "label", "ordinal", "bucket", "description", "claimreview_value")


class RatingScaleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="ratingscale-detail")
    ratings = ScaleRatingSerializer(many=True, read_only=True, help_text="Truest first.")

    class Meta:
        model = RatingScale
        fields = (
            "id",
            "url",
            "slug",
            "name",
            "description",
            "is_default",
            "claimreview_best",
            "claimreview_worst",
            "ratings",
        )
        read_only_fields = fields


class CurrentVerdictSerializer(serializers.ModelSerializer):
    rating = RatingSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Verdict
        fields = ("version", "rating", "summary", "published_at")


class VerdictSerializer(serializers.ModelSerializer):
    """One version of a verdict. Unpublished versions (published_at null) are shown to the desk only."""

    url = serializers.HyperlinkedIdentityField(view_name="verdict-detail")
    claim = serializers.PrimaryKeyRelatedField(read_only=True)
    rating = RatingSerializer(allow_null=True, read_only=True)
    publisher = SourceBriefSerializer(
        allow_null=True,
        read_only=True,
        help_text="Who published the review, for reviews imported from other fact-checkers; null for the desk's own.",
    )
    review_url = serializers.SerializerMethodField()
    textual_rating = serializers.SerializerMethodField()

    class Meta:
        model = Verdict
        fields = (
            "id",
            "url",
            "claim",
            "version",
            "rating",
            "summary",
            "explanation",
            "published_at",
            "superseded_at",
            "correction_kind",
            "correction_note",
            "publisher",
            "review_url",
            "textual_rating",
            "updated_at",
        )
        read_only_fields = fields

    # Null rather than "" when there is none: an imported review has an address and its own wording, ours do not.
    @extend_schema_field(
        serializers.URLField(allow_null=True, help_text="The review's address at its publisher (imported reviews).")
    )
    def get_review_url(self, verdict: Verdict) -> str | None:
        return verdict.review_url or None

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text="The rating in the publisher's own words, when it differs from the label."
        )
    )
    def get_textual_rating(self, verdict: Verdict) -> str | None:
        return verdict.textual_rating or None


# The serializer context key that says the claim is rendered for a reader (claims.api.views.ClaimViewSet).
FOR_READERS = "for_readers"


class ClaimListSerializer(ClaimContentSerializer):
    """A claim. The desk sees its live rows and its workflow status; readers see the claim as the second person
    approved it with the version they are shown, whatever the desk changed since."""

    url = serializers.HyperlinkedIdentityField(view_name="claim-detail")
    current_verdict = serializers.SerializerMethodField()

    class Meta(ClaimContentSerializer.Meta):
        fields = (
            "id",
            "url",
            "statement",
            "quote",
            "kind",
            "status",
            "claimant",
            "claim_date",
            "language",
            "tags",
            "question",
            "first_appearance",
            "current_verdict",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields
        extra_kwargs = {
            "status": {"help_text": "Readers always see `published`: a correction in progress is the desk's business."},
            "updated_at": {
                "help_text": "For readers, when the version they are shown was published (the claim as they see it "
                "changes only then); for the desk, the last change of the claim's rows."
            },
        }

    @extend_schema_field(CurrentVerdictSerializer(allow_null=True))
    def get_current_verdict(self, claim: Claim) -> dict[str, Any] | None:
        # `current_verdicts` is prefetched by ClaimQuerySet.with_current_verdict(): a list of zero or one.
        current = claim.current_verdicts
        return self._current_verdict.to_representation(current[0]) if current else None

    @cached_property
    def _current_verdict(self) -> CurrentVerdictSerializer:
        # One serializer for the whole page (a list shares this child serializer across its rows): building one per
        # row, with its fields read from the model each time, was over half the time of a 50-row list (bench E1).
        return CurrentVerdictSerializer(context=self.context)

    def to_representation(self, claim: Claim) -> dict[str, Any]:
        if not self.context.get(FOR_READERS):
            return super().to_representation(claim)
        # Readers only get claims with a version published now (or at `as_of`): ClaimQuerySet.visible_to().
        shown = claim.current_verdicts[0]
        approved = shown.published_claim  # loaded by ClaimQuerySet.for_readers()
        data: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name in PUBLIC_FIELDS:
                data[name] = approved[name]
            elif name == "status":
                data[name] = ClaimStatus.PUBLISHED.value
            elif name == "updated_at":
                data[name] = field.to_representation(shown.published_at)
            else:
                attribute = field.get_attribute(claim)
                data[name] = None if attribute is None else field.to_representation(attribute)
        return data


class ClaimDetailSerializer(ClaimListSerializer, ClaimPublicSerializer):
    """A claim with its parts and verdict versions; readers get the parts as approved, like the rest."""

    verdicts = VerdictSerializer(
        source="visible_verdicts", many=True, read_only=True, help_text="Newest version first."
    )
    origins = DerivedOriginsField(
        help_text="The claim's independent origins: distinct original speakers at the ends of its chains, the "
        "chains leading to each, and circular reporting."
    )
    warnings = DerivedWarningsField(
        help_text="Where the claim's values disagree with their own words or with the claim's date: a weekday that "
        "does not match the date, a date that does not exist, an inverted range, a figure dated after the claim."
    )

    class Meta(ClaimListSerializer.Meta):
        fields = (*ClaimListSerializer.Meta.fields, *PART_FIELDS, "origins", "warnings", "verdicts")
        read_only_fields = fields

    def to_representation(self, claim: Claim) -> dict[str, Any]:
        data = super().to_representation(claim)
        data["origins"] = independent_origins(data["attributions"])
        data["warnings"] = claim_warnings(data)
        return data


class HopWriteSerializer(serializers.Serializer):
    source = IdRelatedField(queryset=Source.objects.all())
    relation = serializers.ChoiceField(choices=HopRelation.choices)
    quote_excerpt = serializers.CharField(allow_blank=True, max_length=2000, required=False, default="")


class ChainWriteSerializer(serializers.Serializer):
    """One chain: where the claim appeared (null: no known document) and the hops from that page outwards."""

    appearance = IdRelatedField(queryset=Appearance.objects.all(), allow_null=True, required=False, default=None)
    hops = HopWriteSerializer(many=True, min_length=1, max_length=21)

    def validate(self, attrs: dict[str, Any]) -> Chain:
        hops = attrs["hops"]
        errors = chain_errors([hop["relation"] for hop in hops])
        if errors:
            by_position = dict(errors)
            raise serializers.ValidationError(
                {"hops": [{"relation": [by_position[i]]} if i in by_position else {} for i in range(len(hops))]}
            )
        return Chain(appearance=attrs["appearance"], hops=tuple(Hop(**hop) for hop in hops))


class ValueWriteSerializer(serializers.ModelSerializer):
    """A value: quantities take decimal ends (null: unbounded), dates take ISO dates and a precision.

    Ends default to [low, high). PostgreSQL stores date intervals as [first day, day after the last), so
    [2024-02-29, 2024-02-29] reads back as [2024-02-29, 2024-03-01).
    """

    low = IntervalEndField(allow_null=True, required=False, default=None)
    high = IntervalEndField(allow_null=True, required=False, default=None)
    low_inclusive = serializers.BooleanField(required=False, default=True)
    high_inclusive = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = ClaimValue
        fields = (
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

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = dict(attrs)
        raw_low, raw_high = attrs.pop("low"), attrs.pop("high")
        bounds = ("[" if attrs.pop("low_inclusive") else "(") + ("]" if attrs.pop("high_inclusive") else ")")
        if attrs["kind"] == ClaimValue.Kind.QUANTITY:
            low, high = _quantity_ends(raw_low, raw_high)
            if attrs.get("precision"):
                raise serializers.ValidationError({"precision": ["Only date values have a precision."]})
            attrs["quantity"] = NumericRange(low, high, bounds)
        else:
            low, high = _date_ends(raw_low, raw_high)
            errors = {}
            if not attrs.get("precision"):
                errors["precision"] = ["A date value needs a precision: day, month or year."]
            if attrs.get("unit"):
                errors["unit"] = ["Only quantities have a unit."]
            if errors:
                raise serializers.ValidationError(errors)
            attrs["dates"] = DateRange(low, high, bounds)
        if low is not None and high is not None and (low > high or (low == high and bounds != "[]")):
            raise serializers.ValidationError(
                {"high": ["The interval is empty: its low end is not below its high end."]}
            )
        return attrs


def _quantity_ends(raw_low: str | None, raw_high: str | None) -> tuple[Decimal | None, Decimal | None]:
    if raw_low is None and raw_high is None:
        raise serializers.ValidationError({"low": ["Give at least one end of the interval."]})
    ends: list[Decimal | None] = []
    errors: dict[str, list[str]] = {}
    for name, raw in (("low", raw_low), ("high", raw_high)):
        try:
            number = None if raw is None else number_end(raw)
        except NumberError as error:
            errors[name], number = [str(error)], None
        if raw is not None and number is None:
            # null is unbounded; a blank string is no number (the admin's form reads a blank end as unbounded).
            errors.setdefault(name, ["A valid number is required."])
        ends.append(number)
    if errors:
        raise serializers.ValidationError(errors)
    return ends[0], ends[1]


def _date_ends(raw_low: str | None, raw_high: str | None) -> tuple[dt.date, dt.date]:
    ends: list[dt.date] = []
    errors: dict[str, list[str]] = {}
    for name, raw in (("low", raw_low), ("high", raw_high)):
        if raw is None:
            errors[name] = ["A date interval needs both ends."]
            continue
        try:
            ends.append(dt.date.fromisoformat(raw))
        except ValueError:
            errors[name] = ["Give an ISO date, YYYY-MM-DD."]
    if errors:
        raise serializers.ValidationError(errors)
    return ends[0], ends[1]


class EvidenceWriteSerializer(serializers.ModelSerializer):
    serializer_related_field = IdRelatedField
    url = HttpUrlField(max_length=2000, allow_blank=True, required=False)
    archive_url = HttpUrlField(max_length=2000, allow_blank=True, required=False)

    class Meta:
        model = Evidence
        fields = ("url", "appearance", "title", "stance", "note", "archive_url")
        extra_kwargs = {"note": {"max_length": 10_000}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("url") and attrs.get("appearance") is None:
            raise serializers.ValidationError("Evidence needs a URL or an appearance.")
        return attrs


class ClaimWriteSerializer(serializers.ModelSerializer):
    """What a desk member may send to create or change a claim.

    Status, authorship, times and verdicts are not accepted here (they change only through the workflow).
    On PATCH, `attributions` and `values`, when sent, replace the claim's chains and values; `evidence` is only
    ever added, because published verdicts rest on it.
    """

    serializer_related_field = IdRelatedField

    tags = serializers.ListField(child=serializers.CharField(max_length=64), max_length=50, required=False)
    attributions = ChainWriteSerializer(many=True, required=False, write_only=True, max_length=MAX_ITEMS)
    values = ValueWriteSerializer(many=True, required=False, write_only=True, max_length=MAX_ITEMS)
    evidence = EvidenceWriteSerializer(many=True, required=False, write_only=True, max_length=MAX_ITEMS)

    class Meta:
        model = Claim
        fields = (
            "statement",
            "quote",
            "kind",
            "claimant",
            "claim_date",
            "language",
            "tags",
            "question",
            "first_appearance",
            "attributions",
            "values",
            "evidence",
        )
        extra_kwargs = {"statement": {"max_length": 2000}, "quote": {"max_length": 20_000}}

    PARTS = ("attributions", "values", "evidence")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # PATCH is validated with partial=False, because DRF would otherwise also skip the required fields of
        # every nested hop, value and evidence; only `statement` is required, and only to create.
        if self.instance is not None:
            self.fields["statement"].required = False

    def validate_attributions(self, chains: list[Chain]) -> list[Chain]:
        seen: set[int | None] = set()
        errors: list[dict[str, list[str]]] = []
        for chain in chains:
            key = chain.appearance.pk if chain.appearance is not None else None
            duplicate = key in seen
            seen.add(key)
            errors.append(
                {"appearance": ["Another chain has this appearance; send one chain each."]} if duplicate else {}
            )
        if any(errors):
            raise serializers.ValidationError(errors)
        return chains

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the claim's own fields, the parts for claims.services.claim_parts_set)."""
        fields = dict(self.validated_data)
        parts = {name: fields.pop(name) for name in self.PARTS if name in fields}
        return fields, parts
