"""Readable messages for database constraint violations, taken from the constraints' own definitions."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.db import IntegrityError


@cache
def _messages() -> dict[str, str]:
    messages: dict[str, str] = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            messages[constraint.name] = str(constraint.violation_error_message or constraint.name)
    return messages


def constraint_message(error: IntegrityError) -> str | None:
    """The violated constraint's message, from psycopg's diagnostic, or None when it names no known constraint."""
    cause = error.__cause__
    name = getattr(getattr(cause, "diag", None), "constraint_name", None)
    if not name:
        return None
    return _messages().get(name)
