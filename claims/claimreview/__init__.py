"""schema.org ClaimReview: our published verdicts as JSON-LD (`export`), and other fact-checkers' reviews read back
(`reading`). Pure mapping, no database; claims.api.claimreview serves the export and claims.services.claimreview
writes imports.
"""

from __future__ import annotations

from claims.claimreview.export import (
    CONTEXT,
    FEED_CONTEXT,
    ORGANIZATION,
    PERSON,
    WITHDRAWN,
    claim_node,
    claimreview_document,
    correction_nodes,
    feed_document,
    party_type,
    rating_node,
    same_as,
)
from claims.claimreview.reading import (
    DEFAULT_MAPPING,
    DEFAULT_MAPPINGS,
    ItemError,
    ParsedAppearance,
    ParsedReview,
    Party,
    PayloadError,
    RatingMapper,
    mapping_from,
    normalise_rating,
    parse_review,
    reviews_in,
)

__all__ = [
    "CONTEXT",
    "DEFAULT_MAPPING",
    "DEFAULT_MAPPINGS",
    "FEED_CONTEXT",
    "ORGANIZATION",
    "PERSON",
    "WITHDRAWN",
    "ItemError",
    "ParsedAppearance",
    "ParsedReview",
    "Party",
    "PayloadError",
    "RatingMapper",
    "claim_node",
    "claimreview_document",
    "correction_nodes",
    "feed_document",
    "mapping_from",
    "normalise_rating",
    "parse_review",
    "party_type",
    "rating_node",
    "reviews_in",
    "same_as",
]
