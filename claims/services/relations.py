"""Editors' decisions on relations between claims, above all the detector's suggestions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import ClaimRelation
from factcheck.roles import is_editor


def _decide(relation: ClaimRelation, actor: Any, state: str) -> ClaimRelation:
    if not is_editor(actor):
        raise PermissionDenied("Only editors confirm or dismiss relations between claims.")
    # Locked so two editors deciding at once end with the second decision, each recorded by pghistory in turn.
    relation = ClaimRelation.objects.select_for_update().get(pk=relation.pk)
    if relation.state == state:
        raise ValidationError({"state": f"This relation is already {relation.get_state_display().lower()}."})
    relation.state = state
    relation.decided_by, relation.decided_at = actor, timezone.now()
    relation.full_clean(validate_constraints=False)
    relation.save(update_fields=["state", "decided_by", "decided_at"])
    return relation


@transaction.atomic
def relation_confirm(*, relation: ClaimRelation, actor: Any) -> ClaimRelation:
    """An editor agrees with the relation: readers see it from now on (between published claims)."""
    return _decide(relation, actor, ClaimRelation.State.CONFIRMED)


@transaction.atomic
def relation_dismiss(*, relation: ClaimRelation, actor: Any) -> ClaimRelation:
    """An editor rejects the relation: the detector will not suggest it again while its finding stands."""
    return _decide(relation, actor, ClaimRelation.State.DISMISSED)
