"""Read vocabulary for sources and appearances."""

from __future__ import annotations

from django.db import models
from django.db.models import BooleanField, Case, F, Func, Q, Value, When
from django.db.models.functions import Lower


class AliasIs(Func):
    """Whether one of an array of names equals a name, ignoring case:
    EXISTS (SELECT 1 FROM unnest(aliases) AS alias WHERE lower(alias) = lower(name))."""

    template = "EXISTS (SELECT 1 FROM unnest(%(expressions)s))"
    arg_joiner = ") AS alias WHERE lower(alias) = lower("
    output_field = BooleanField()


class SourceQuerySet(models.QuerySet):
    def for_api(self) -> SourceQuerySet:
        return self.select_related("parent")

    def name_contains(self, text: str) -> SourceQuerySet:
        """Sources whose name contains `text`, ignoring case."""
        # lower(name) LIKE '%text%' is what the source_name_trgm index serves; icontains would compare upper().
        return self.alias(name_lower=Lower("name")).filter(name_lower__contains=text.lower())

    def named(self, name: str) -> SourceQuerySet:
        """Sources called `name` by their name or one of their aliases, ignoring case and spacing; those whose own
        name it is come first, then the oldest."""
        wanted = " ".join(name.split()).lower()
        return (
            self.alias(name_lower=Lower("name"), by_alias=AliasIs(F("aliases"), Value(wanted)))
            .filter(Q(name_lower=wanted) | Q(by_alias=True))
            .order_by(Case(When(name_lower=wanted, then=Value(0)), default=Value(1)), "id")
        )


class AppearanceQuerySet(models.QuerySet):
    def for_api(self) -> AppearanceQuerySet:
        return self.select_related("publisher")
