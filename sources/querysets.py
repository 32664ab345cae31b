"""Read vocabulary for sources and appearances."""

from __future__ import annotations

from django.db import models


class SourceQuerySet(models.QuerySet):
    def for_api(self) -> SourceQuerySet:
        return self.select_related("parent")


class AppearanceQuerySet(models.QuerySet):
    def for_api(self) -> AppearanceQuerySet:
        return self.select_related("publisher")
