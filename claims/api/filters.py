"""Query parameters for claims, verdicts, questions and rating scales.

Every parameter refuses bad values (a 400 naming it) rather than ignoring them: a client that typed
?status=publshed must not get every claim back.
"""

from __future__ import annotations

from datetime import datetime

import django_filters

from claims.models import Bucket, Claim, ClaimKind, ClaimStatus, Question, RatingScale, Verdict
from claims.querysets import ClaimQuerySet, VerdictQuerySet
from factcheck.filters import IdFilter, SlugFilter
from factcheck.roles import is_desk_member

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


class ClaimFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ClaimKind.choices)
    claimant = IdFilter(field_name="claimant_id", help_text="Id of the original speaker.")
    source = IdFilter(method="filter_source", help_text="Id of a source at any hop of any attribution chain.")
    rating = SlugFilter(method="filter_rating", help_text="Slug of the current verdict's rating, e.g. false.")
    bucket = django_filters.ChoiceFilter(
        choices=Bucket.choices, method="filter_bucket", help_text="Bucket of the current verdict's rating."
    )
    question = IdFilter(field_name="question_id")
    language = django_filters.CharFilter(max_length=16)
    tag = django_filters.CharFilter(method="filter_tag", max_length=64, help_text="Claims carrying this tag.")
    claim_date_after = django_filters.DateFilter(field_name="claim_date", lookup_expr="gte", help_text="On or after.")
    claim_date_before = django_filters.DateFilter(field_name="claim_date", lookup_expr="lte", help_text="On or before.")
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601 date-time; changed at or after it."
    )
    assignee = django_filters.CharFilter(
        method="filter_assignee",
        max_length=150,
        help_text="`me`, or a desk member's username: the claims assigned to them. Desk only (readers get none).",
    )
    awaiting_review = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method="filter_awaiting_review",
        help_text="true: claims in review whose draft the signed-in editor did not write, i.e. the drafts awaiting "
        "their review (none for anyone but editors); false: every other claim.",
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        help_text="Full-text search (web search syntax: quotes, or, -word) in statement and quote; "
        "best match first unless `ordering` is given.",
    )

    class Meta:
        model = Claim
        fields: tuple[str, ...] = ()

    def filter_source(self, queryset: ClaimQuerySet, name: str, value: int) -> ClaimQuerySet:
        return queryset.attributed_to(value)

    def filter_rating(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        return queryset.rated(slug=value)

    def filter_bucket(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        return queryset.rated(bucket=value)

    def filter_tag(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        # Tags are stored lower-case (claims.services._clean_tags); @> on the array uses claim_tags_gin.
        return queryset.filter(tags__contains=[value.strip().lower()])

    def filter_q(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        return queryset.search(value)

    def filter_assignee(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        user = self.request.user
        # Who works on what is the desk's business: readers filtering on it learn nothing, not even an empty hint.
        if not is_desk_member(user):
            return queryset.none()
        if value == "me":
            return queryset.assigned_to(user)
        return queryset.filter(assignee__username=value)

    def filter_awaiting_review(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        awaiting = Claim.objects.awaiting_review_by(self.request.user)
        if value == "true":
            return queryset.filter(pk__in=awaiting.values("pk"))
        return queryset.exclude(pk__in=awaiting.values("pk"))


class VerdictFilterSet(django_filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    rating = SlugFilter(field_name="rating__slug", help_text="Rating slug, on any scale.")
    bucket = django_filters.ChoiceFilter(field_name="rating__bucket", choices=Bucket.choices)
    published_after = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="gte", help_text="Published at or after (ISO 8601)."
    )
    published_before = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="lte", help_text="Published at or before (ISO 8601)."
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601 date-time; changed at or after it."
    )
    as_of = django_filters.IsoDateTimeFilter(
        method="filter_as_of",
        help_text="ISO 8601 date-time: the versions that were current then (one per claim at most).",
    )

    class Meta:
        model = Verdict
        fields: tuple[str, ...] = ()

    def filter_as_of(self, queryset: VerdictQuerySet, name: str, value: datetime) -> VerdictQuerySet:
        return queryset.as_of(value)


class QuestionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Question.Kind.choices)
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601 date-time; changed at or after it."
    )

    class Meta:
        model = Question
        fields: tuple[str, ...] = ()


class RatingScaleFilterSet(django_filters.FilterSet):
    slug = SlugFilter()

    class Meta:
        model = RatingScale
        fields: tuple[str, ...] = ()
