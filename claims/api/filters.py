"""Query parameters for claims, verdicts, questions and rating scales.

Every parameter refuses bad values (a 400 naming it) rather than ignoring them: a client that typed
?status=publshed must not get every claim back.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import django_filters
from django.db.models import Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from claims.models import Bucket, Claim, ClaimKind, ClaimStatus, Question, RatingScale, Verdict
from claims.querysets import SEARCH_CANDIDATES, ClaimQuerySet, VerdictQuerySet
from factcheck.filters import FilterSet, IdFilter, SlugFilter
from factcheck.roles import is_desk_member

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]

# Each filter on a claim's own field: its lookup on the live claim (the desk) and on the claim as approved with the
# version readers are shown (`shown`, ClaimQuerySet.shown_rows(), which every readers' list is). Readers filter what
# they see: a filter on the live rows would tell them, by its results, what the desk changed since (a word, a source,
# a date) without showing it. Equality on the claim as approved is jsonb containment, which
# verdict_current_snapshot_path serves.
CLAIM_FIELD_LOOKUPS = {
    "kind": ("kind", lambda value: {"kind": value}),
    "claimant": ("claimant_id", lambda value: {"claimant": {"id": value}}),
    "question": ("question_id", lambda value: {"question": {"id": value}}),
    "language": ("language", lambda value: {"language": value}),
    # ->> (text), so that a claim without a date matches neither bound, as NULL does in the live column.
    "claim_date_after": ("claim_date__gte", "gte"),
    "claim_date_before": ("claim_date__lte", "lte"),
}


class ClaimFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ClaimStatus.choices,
        method="filter_status",
        help_text="The workflow status. Readers see every claim they may see as published: `published` lists them "
        "all, any other status none.",
    )
    kind = django_filters.ChoiceFilter(choices=ClaimKind.choices, method="filter_claim_field")
    claimant = IdFilter(method="filter_claim_field", help_text="Id of the original speaker.")
    source = IdFilter(method="filter_source", help_text="Id of a source at any hop of any attribution chain.")
    rating = SlugFilter(method="filter_rating", help_text="Slug of the current verdict's rating, e.g. false.")
    bucket = django_filters.ChoiceFilter(
        choices=Bucket.choices, method="filter_bucket", help_text="Bucket of the current verdict's rating."
    )
    question = IdFilter(method="filter_claim_field")
    language = django_filters.CharFilter(max_length=16, method="filter_claim_field")
    tag = django_filters.CharFilter(method="filter_tag", max_length=64, help_text="Claims carrying this tag.")
    claim_date_after = django_filters.DateFilter(method="filter_claim_field", help_text="On or after.")
    claim_date_before = django_filters.DateFilter(method="filter_claim_field", help_text="On or before.")
    updated_since = django_filters.IsoDateTimeFilter(
        method="filter_updated_since",
        help_text="ISO 8601 date-time; changed at or after it (readers: a version published at or after it).",
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
        "best match first unless `ordering` is given. Readers: of more than "
        f"{SEARCH_CANDIDATES} matches (after the other filters), the {SEARCH_CANDIDATES} most recently published are "
        "returned.",
    )

    class Meta:
        model = Claim
        fields: tuple[str, ...] = ()

    def filter_status(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        if not is_desk_member(self.request.user):
            # A published claim reopened for a correction is in_review for the desk; for readers it is the published
            # claim it was, and the filter must not tell them a correction is pending.
            return queryset if value == ClaimStatus.PUBLISHED else queryset.none()
        return queryset.filter(status=value)

    @property
    def _for_readers(self) -> bool:
        return not is_desk_member(self.request.user)

    def filter_queryset(self, queryset: ClaimQuerySet) -> ClaimQuerySet:
        # Readers' filters are conditions on the version shown, gathered by the methods below and applied here in
        # one filter() call (with the search, if any): Django joins a multi-valued relation, which a claim's verdicts
        # are, once per filter() call, and each join of the versions is planned on its own. Three filters made three
        # joins, none of which could combine the indexes of the others (bench E2 at 1M claims: 530 ms).
        self._shown = Q()
        self._search: str | None = None
        queryset = super().filter_queryset(queryset)
        if self._search is not None:
            return queryset.search_approved(self._search, self._shown)
        if self._shown:
            return queryset.shown_rows().filter(self._shown)
        return queryset

    def _readers(self, queryset: ClaimQuerySet, condition: Q) -> ClaimQuerySet:
        self._shown &= condition
        return queryset

    def filter_claim_field(self, queryset: ClaimQuerySet, name: str, value: Any) -> ClaimQuerySet:
        live, approved = CLAIM_FIELD_LOOKUPS[name]
        if not self._for_readers:
            return queryset.filter(**{live: value})
        if isinstance(value, date):
            # The claim as approved holds dates as ISO strings, which sort as dates; ->> (text), so that a claim
            # without one matches no bound. verdict_current_claim_date_idx serves it.
            approved_date = KeyTextTransform("claim_date", "shown__claim_snapshot")
            bound = GreaterThanOrEqual if approved == "gte" else LessThanOrEqual
            return self._readers(queryset, Q(bound(approved_date, value.isoformat())))
        return self._readers(queryset, Q(shown__claim_snapshot__contains=approved(value)))

    def filter_updated_since(self, queryset: ClaimQuerySet, name: str, value: datetime) -> ClaimQuerySet:
        if self._for_readers:
            # What readers are shown changes only when a version is published (their `updated_at`).
            return self._readers(queryset, Q(shown__published_at__gte=value))
        return queryset.filter(updated_at__gte=value)

    def filter_source(self, queryset: ClaimQuerySet, name: str, value: int) -> ClaimQuerySet:
        if self._for_readers:
            # jsonb containment: some chain has some hop whose source has this id.
            return self._readers(
                queryset, Q(shown__claim_snapshot__contains={"attributions": [{"hops": [{"source": {"id": value}}]}]})
            )
        return queryset.attributed_to(value)

    def filter_rating(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        if self._for_readers:
            return self._readers(queryset, Q(shown__rating__slug=value))
        return queryset.rated(slug=value)

    def filter_bucket(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        if self._for_readers:
            return self._readers(queryset, Q(shown__rating__bucket=value))
        return queryset.rated(bucket=value)

    def filter_tag(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        # Tags are stored lower-case (claims.services._clean_tags); @> on the array uses claim_tags_gin.
        tag = value.strip().lower()
        if self._for_readers:
            return self._readers(queryset, Q(shown__claim_snapshot__contains={"tags": [tag]}))
        return queryset.filter(tags__contains=[tag])

    def filter_q(self, queryset: ClaimQuerySet, name: str, value: str) -> ClaimQuerySet:
        if not self._for_readers:
            return queryset.search(value)
        # Applied with the other filters' conditions (filter_queryset), which narrow the candidates it ranks.
        self._search = value
        return queryset

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


class VerdictFilterSet(FilterSet):
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


class QuestionFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(choices=Question.Kind.choices)
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601 date-time; changed at or after it."
    )

    class Meta:
        model = Question
        fields: tuple[str, ...] = ()


class RatingScaleFilterSet(FilterSet):
    slug = SlugFilter()

    class Meta:
        model = RatingScale
        fields: tuple[str, ...] = ()
