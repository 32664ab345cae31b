"""The desk's roles. Editors can do everything fact-checkers can, and also triage, assign, approve and publish.

Roles are Django groups (created by claims' migration 0003_roles), so an administrator grants them in the admin
or with `manage.py createuser NAME --role editor|fact-checker`. Superusers count as editors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

EDITOR = "editor"
FACT_CHECKER = "fact-checker"
ROLES = (EDITOR, FACT_CHECKER)


def roles_of(user: AbstractBaseUser | AnonymousUser | None) -> frozenset[str]:
    """The user's desk roles, read once per user object (one query per request at most)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_desk_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        if user.is_superuser:
            names.add(EDITOR)
        cached = frozenset(names)
        user._desk_roles = cached
    return cached


def is_editor(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return EDITOR in roles_of(user)


def is_fact_checker(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Fact-checkers and editors: the people who research and draft."""
    return bool(roles_of(user))


def is_desk_member(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """The desk sees unpublished work; everyone else, API clients included, sees what is published."""
    return bool(roles_of(user))
