"""Query parameters for sources and appearances. Bad values are refused with a 400 naming the parameter."""

from __future__ import annotations

import django_filters

from factcheck.filters import FilterSet, IdFilter
from sources.models import Appearance, Source, SourceKind
from sources.querysets import AppearanceQuerySet, SourceQuerySet
from sources.urlnorm import normalize_url


class SourceFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact", max_length=2, help_text="ISO 3166-1 alpha-2, e.g. RU.")
    parent = IdFilter(field_name="parent_id", help_text="Id of the body the sources belong to.")
    q = django_filters.CharFilter(method="filter_q", max_length=200, help_text="Part of the name, any case.")
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601 date-time; changed at or after it."
    )

    class Meta:
        model = Source
        fields: tuple[str, ...] = ()

    def filter_q(self, queryset: SourceQuerySet, name: str, value: str) -> SourceQuerySet:
        return queryset.name_contains(value)


class AppearanceFilterSet(FilterSet):
    publisher = IdFilter(field_name="publisher_id")
    published_on_after = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", help_text="On or after."
    )
    published_on_before = django_filters.DateFilter(
        field_name="published_on", lookup_expr="lte", help_text="On or before."
    )
    language = django_filters.CharFilter(max_length=16)
    url = django_filters.CharFilter(
        method="filter_url",
        max_length=2000,
        help_text="The document's address; matched after the same normalisation as stored URLs.",
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601 date-time; changed at or after it."
    )

    class Meta:
        model = Appearance
        fields: tuple[str, ...] = ()

    def filter_url(self, queryset: AppearanceQuerySet, name: str, value: str) -> AppearanceQuerySet:
        return queryset.filter(url=normalize_url(value))
