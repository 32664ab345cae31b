"""Helpers for reading the audit trail in tests."""

from __future__ import annotations

from typing import Any

from django.db import models

from audit.models import EVENT_MODELS


def history(obj: models.Model) -> list[Any]:
    """The events recorded for `obj`, oldest first."""
    return list(EVENT_MODELS[type(obj)].objects.filter(pgh_obj_id=obj.pk).order_by("pgh_id"))


def events_of(model: type[models.Model]) -> Any:
    return EVENT_MODELS[model].objects.order_by("pgh_id")
