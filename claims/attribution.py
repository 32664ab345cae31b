"""Rules for attribution chains, as plain functions (no database).

A chain is the list of hop relations from the page outwards (see claims.models.Attribution). Every hop but the
last relays the claim from the next one (quotes, paraphrases, cites); the last one ends the chain: its source
says it first-hand (publishes), or it cites sources it does not name (cites_unnamed).
"""

from __future__ import annotations

from collections.abc import Sequence

RELAYING = frozenset({"quotes", "paraphrases", "cites"})
ENDING = frozenset({"publishes", "cites_unnamed"})


def chain_errors(relations: Sequence[str]) -> list[tuple[int, str]]:
    """(position, message) for every hop that breaks the chain's shape; empty when the chain is sound."""
    if not relations:
        return [(0, "A chain needs at least one hop.")]
    errors: list[tuple[int, str]] = []
    last = len(relations) - 1
    for position, relation in enumerate(relations):
        if position < last and relation not in RELAYING:
            errors.append(
                (
                    position,
                    f"Hop {position} '{relation}' ends the chain, but hop {position + 1} follows it; "
                    "only quotes, paraphrases or cites can pass a claim on.",
                )
            )
        if position == last and relation not in ENDING:
            errors.append(
                (
                    position,
                    f"The last hop '{relation}' passes the claim on to nobody; "
                    "it must be 'publishes' (the original speaker) or 'cites_unnamed'.",
                )
            )
    return errors


def origin_position(relations: Sequence[str]) -> int | None:
    """Position of the original speaker, or None when the chain ends in unnamed sources."""
    if relations and relations[-1] == "publishes":
        return len(relations) - 1
    return None
