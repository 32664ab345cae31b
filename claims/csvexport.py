"""Claims with their current verdict and claimant as CSV, streamed: GET /api/v1/claims/?format=csv and the admin action.

Each row is the claim's list representation (claims.api.serializers.ClaimListSerializer), so readers get published
claims as approved and the desk live rows, exactly as the JSON list shows them, plus the current verdict's publisher
and review address. Rows are written as the queryset's iterator yields them, a chunk at a time (the prefetches run
once per chunk), so memory stays constant whatever the number of claims.

Spreadsheets run cells that start with = + - @ (and tab or carriage return) as formulas: such cells get a leading
apostrophe (OWASP's advice for CSV injection), which spreadsheets show as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from claims.api.serializers import ClaimListSerializer
from claims.models import Claim

COLUMNS = (
    "id",
    "url",
    "statement",
    "claimant",
    "claim_date",
    "language",
    "tags",
    "status",
    "rating",
    "rating_label",
    "bucket",
    "published_at",
    "summary",
    "publisher",
    "review_url",
)
CHUNK_SIZE = 500
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A value as CSV cell text that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ",".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def row(data: dict[str, Any], claim: Claim) -> list[str]:
    """One claim's list representation (and its current verdict's publisher and address) as the CSV's cells."""
    verdict_data = data.get("current_verdict") or {}
    rating = verdict_data.get("rating") or {}
    current = claim.current_verdicts[0] if claim.current_verdicts else None
    values = {
        **{name: data.get(name) for name in ("id", "url", "statement", "claim_date", "language", "tags", "status")},
        "claimant": (data.get("claimant") or {}).get("name"),
        "rating": rating.get("slug"),
        "rating_label": rating.get("label"),
        "bucket": rating.get("bucket"),
        "published_at": verdict_data.get("published_at"),
        "summary": verdict_data.get("summary"),
        "publisher": current.publisher.name if current is not None and current.publisher_id else None,
        "review_url": current.review_url if current is not None else None,
    }
    return [safe_cell(values[name]) for name in COLUMNS]


class _Echo:
    """A file whose write() hands the line back, so csv.writer formats one row at a time for streaming."""

    def write(self, value: str) -> str:
        return value


def stream(claims: QuerySet[Claim], context: dict[str, Any], chunk_size: int | None = None) -> Iterator[str]:
    """The header, then one line per claim of `claims` (a ClaimQuerySet.for_api_list() queryset)."""
    chunk_size = chunk_size or CHUNK_SIZE
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    serializer = ClaimListSerializer(context=context)
    for claim in claims.iterator(chunk_size=chunk_size):
        yield writer.writerow(row(serializer.to_representation(claim), claim))
