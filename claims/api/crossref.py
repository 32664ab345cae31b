"""The shapes of the cross-referencing responses: a question with its answers, relations and origins.

The data are built by claims.crossref.question; these serializers describe them for the OpenAPI schema (and the
schema tests hold the two together).
"""

from __future__ import annotations

from rest_framework import serializers

from claims.api.derived import OriginsSerializer
from claims.api.public import ChainSerializer, ValueSerializer
from claims.api.serializers import CurrentVerdictSerializer, QuestionSerializer
from claims.models import ClaimRelation, ClaimStatus
from sources.api.serializers import SourceBriefSerializer


class AnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The claim's id.")
    url = serializers.URLField()
    statement = serializers.CharField()
    claimant = SourceBriefSerializer(allow_null=True)
    claim_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ClaimStatus.choices, help_text="Readers always see `published`.")
    answers = serializers.BooleanField(
        help_text="Whether the claim takes part in the comparison: dismissed claims and duplicates do not."
    )
    source = serializers.CharField(help_text='Who the answer comes from, in a few words, e.g. "Hamas via TASS".')
    current_verdict = CurrentVerdictSerializer(allow_null=True)
    attributions = ChainSerializer(many=True)
    values = ValueSerializer(many=True)


class QuestionRelationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_claim = serializers.IntegerField()
    to_claim = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ClaimRelation.Kind.choices, help_text="Read: from_claim <kind> to_claim.")
    origin = serializers.ChoiceField(choices=ClaimRelation.Origin.choices)
    state = serializers.ChoiceField(
        choices=ClaimRelation.State.choices, help_text="Readers see confirmed relations only."
    )
    score = serializers.FloatField(allow_null=True)
    explanation = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        help_text="One sentence. Readers get it worded afresh from the answers as approved (null when the approved "
        "answers no longer bear the relation out): the stored one was written from the desk's live rows.",
    )


class QuestionDetailSerializer(QuestionSerializer):
    answers = AnswerSerializer(many=True, read_only=True)
    relations = QuestionRelationSerializer(many=True, read_only=True)
    origins = OriginsSerializer(read_only=True)

    class Meta(QuestionSerializer.Meta):
        fields = (*QuestionSerializer.Meta.fields, "answers", "relations", "origins")
        read_only_fields = fields
