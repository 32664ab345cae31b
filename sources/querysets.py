"""Read vocabulary for sources and appearances."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class SourceQuerySet(models.QuerySet):
    def for_api(self) -> SourceQuerySet:
        return self.select_related("parent")

    def name_contains(self, text: str) -> SourceQuerySet:
        """Sources whose name contains `text`, ignoring case."""
        # lower(name) LIKE '%text%' is what the source_name_trgm index serves; icontains would compare upper().
        return self.alias(name_lower=Lower("name")).filter(name_lower__contains=text.lower())


class AppearanceQuerySet(models.QuerySet):
    def for_api(self) -> AppearanceQuerySet:
        return self.select_related("publisher")
