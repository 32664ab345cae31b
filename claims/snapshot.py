"""The claim as a second person approves it: the snapshot a verdict version carries and readers are served.

Readers never see a claim's live rows: what the desk changes after an approval (the statement, a hop, a value, a
piece of evidence added while a correction is drafted) reaches them only with the next approved and published version.
"""

from __future__ import annotations

import json
from typing import Any

from rest_framework.renderers import JSONRenderer

from claims.api.public import ClaimPublicSerializer
from claims.models import Claim


def claim_snapshot(claim: Claim) -> dict[str, Any]:
    """The claim's public representation now, read afresh from its rows, as plain JSON.

    Rendered and parsed back with the API's own JSON renderer, so the stored document is byte for byte what the API
    would have answered (dates and times as the renderer writes them), and readers get exactly it back.
    """
    live = Claim.objects.with_public_parts().get(pk=claim.pk)
    return json.loads(JSONRenderer().render(ClaimPublicSerializer(live).data))


def claim_snapshots_of(claims: list[Claim]) -> list[dict[str, Any]]:
    """claim_snapshot() of claims whose parts are already in memory (loaded as with_public_parts() loads them, by
    the caller: a bulk import that has just written them), in order: the same serializer and renderer, no query."""
    return json.loads(JSONRenderer().render(ClaimPublicSerializer(claims, many=True).data))
