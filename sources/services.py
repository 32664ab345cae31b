"""Writes to sources and appearances, for the admin, the API and commands alike.

Each validates with full_clean, so constraint messages reach the user as field errors, inside one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sources.models import Appearance, Source

SOURCE_EDITABLE_FIELDS = ("name", "kind", "description", "country", "aliases", "parent", "wikidata_id", "homepage")
APPEARANCE_EDITABLE_FIELDS = (
    "url",
    "title",
    "publisher",
    "published_on",
    "language",
    "retrieved_at",
    "content_hash",
    "archive_url",
)
# Real hierarchies are a few levels deep (ministry, government); a longer walk means bad data, not a deep tree.
MAX_PARENT_DEPTH = 50


def _refuse_unknown(fields: Iterable[str], editable: Iterable[str]) -> None:
    unknown = set(fields) - set(editable)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))


def _refuse_parent_cycle(source: Source) -> None:
    """A source may not end up among its own ancestors (the database only stops it being its own parent)."""
    ancestor = source.parent
    for _ in range(MAX_PARENT_DEPTH):
        if ancestor is None:
            return
        if source.pk is not None and ancestor.pk == source.pk:
            raise ValidationError({"parent": "This parent would make the source its own ancestor."})
        ancestor = ancestor.parent
    raise ValidationError({"parent": "The chain of parents is too long."})


def _clean_aliases(aliases: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for alias in aliases:
        alias = alias.strip()
        if alias:
            seen.setdefault(alias, None)
    return list(seen)


@transaction.atomic
def source_create(*, actor: Any | None, **fields: Any) -> Source:
    _refuse_unknown(fields, SOURCE_EDITABLE_FIELDS)
    if "aliases" in fields:
        fields["aliases"] = _clean_aliases(fields["aliases"])
    source = Source(**fields)
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def source_get_or_create(*, actor: Any | None, name: str, kind: str) -> tuple[Source, bool]:
    """The source called `name` (by name or alias, ignoring case: SourceQuerySet.named), or a new one of `kind`
    with that name; (source, created). Imports name sources as the text spells them, so "Hamas's Ministry of
    Health" finds the source that has it as an alias instead of making a second one."""
    name = " ".join(name.split())
    existing = Source.objects.named(name).first()
    if existing is not None:
        return existing, False
    return source_create(actor=actor, name=name, kind=kind), True


@transaction.atomic
def source_update(*, source: Source, actor: Any | None, **fields: Any) -> Source:
    """Write only the fields given, so two editors changing different fields do not overwrite each other."""
    _refuse_unknown(fields, SOURCE_EDITABLE_FIELDS)
    if "aliases" in fields:
        fields["aliases"] = _clean_aliases(fields["aliases"])
    for name, value in fields.items():
        setattr(source, name, value)
    if "parent" in fields:
        _refuse_parent_cycle(source)
    source.full_clean()
    source.save(update_fields=[*fields, "updated_at"])
    return source


@transaction.atomic
def appearance_create(*, actor: Any | None, **fields: Any) -> Appearance:
    _refuse_unknown(fields, APPEARANCE_EDITABLE_FIELDS)
    appearance = Appearance(**fields)
    appearance.full_clean()
    appearance.save()
    return appearance


@transaction.atomic
def appearance_update(*, appearance: Appearance, actor: Any | None, **fields: Any) -> Appearance:
    _refuse_unknown(fields, APPEARANCE_EDITABLE_FIELDS)
    for name, value in fields.items():
        setattr(appearance, name, value)
    appearance.full_clean()
    appearance.save(update_fields=[*fields, "updated_at"])
    return appearance
