"""Readers' claim list and detail, read as rows and written out in the serializers' shapes (issue 6).

Readers are most of the API's traffic, and everything they see of a claim is already JSON in the database: the claim
as approved (Verdict.claim_snapshot, the output of claims.api.public's serializers at approval) and a few columns of
the version shown. Building model instances and running DRF's field-by-field serializers over that was most of the
cost of a page (bench E1: 50 ms a page, against 5 ms for a bare WSGI app answering the same bytes). So readers' reads
select exactly the columns the response shows, in one query, and build the response dicts here.

DRF stays the contract: ClaimListSerializer and ClaimDetailSerializer declare the shapes (and the OpenAPI schema is
generated from them), the desk is served by them, and tests/claims/test_readers_fast.py renders the same claims both
ways, byte for byte, and checks every response against the schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from rest_framework.request import Request

from claims.api.public import CONTENT_FIELDS, PART_FIELDS
from claims.crossref.consistency import claim_warnings
from claims.crossref.origins import independent_origins
from claims.models import ClaimStatus, Verdict

PUBLISHED = ClaimStatus.PUBLISHED.value


def _datetime(value: dt.datetime) -> str:
    """What the serializers' DateTimeField writes (in the current time zone, ISO 8601, "Z" for UTC), without its
    per-call settings and time-zone lookups: called a hundred times a page, those were a tenth of it."""
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# The columns of a list row besides the cursor keys, named as ClaimQuerySet.shown_rows() joins the version shown.
LIST_COLUMNS = (
    "id",
    "created_at",
    "shown__version",
    "shown__summary",
    "shown__published_at",
    "shown__rating__slug",
    "shown__rating__label",
    "shown__rating__bucket",
    "shown__rating__scale__slug",
)
# Keys a list may be ordered by (ClaimViewSet.ordering_fields), read back by the cursor from the page's last row.
CURSOR_COLUMNS = ("updated_at", "claim_date")


def list_rows(claims: QuerySet) -> QuerySet:
    """`claims` (ClaimQuerySet.shown_rows(), filtered and ordered) as the rows list_items() reads: the columns shown,
    the cursor's keys and, of the claim as approved, only the keys a list shows (jsonb_build_object in SQL)."""
    extra = [name for name in ("rank",) if name in claims.query.annotations]
    return claims.values(
        *LIST_COLUMNS,
        *CURSOR_COLUMNS,
        *extra,
        approved=JSONObject(**{key: KeyTransform(key, "shown__claim_snapshot") for key in CONTENT_FIELDS}),
    )


def _rating(slug: str | None, label: str | None, bucket: str | None, scale: str | None) -> dict[str, Any] | None:
    # RatingSerializer's shape; a void version (a withdrawn verdict) has no rating.
    return None if slug is None else {"slug": slug, "label": label, "bucket": bucket, "scale": scale}


def _base(request: Request, view_name: str) -> str:
    # The router's detail URL is the list URL plus "<pk>/"; tests compare with HyperlinkedIdentityField's output.
    return request.build_absolute_uri(reverse(view_name))


def _item(row: dict[str, Any], approved: dict[str, Any], claims_url: str) -> dict[str, Any]:
    """A claim as ClaimListSerializer shows it to readers, in its field order."""
    pk = row["id"]
    published_at = _datetime(row["shown__published_at"])
    return {
        "id": pk,
        "url": f"{claims_url}{pk}/",
        "statement": approved["statement"],
        "quote": approved["quote"],
        "kind": approved["kind"],
        "status": PUBLISHED,
        "claimant": approved["claimant"],
        "claim_date": approved["claim_date"],
        "language": approved["language"],
        "tags": approved["tags"],
        "question": approved["question"],
        "first_appearance": approved["first_appearance"],
        "current_verdict": {
            "version": row["shown__version"],
            "rating": _rating(
                row["shown__rating__slug"],
                row["shown__rating__label"],
                row["shown__rating__bucket"],
                row["shown__rating__scale__slug"],
            ),
            "summary": row["shown__summary"],
            "published_at": published_at,
        },
        "created_at": _datetime(row["created_at"]),
        # For readers, when the version they are shown was published.
        "updated_at": published_at,
    }


def list_items(rows: list[dict[str, Any]], request: Request) -> list[dict[str, Any]]:
    claims_url = _base(request, "claim-list")
    return [_item(row, row["approved"], claims_url) for row in rows]


# The detail ----------------------------------------------------------------------------------------------------------

VERSION_COLUMNS = (
    "id",
    "version",
    "summary",
    "explanation",
    "published_at",
    "superseded_at",
    "correction_kind",
    "correction_note",
    "review_url",
    "textual_rating",
    "updated_at",
    "rating__slug",
    "rating__label",
    "rating__bucket",
    "rating__scale__slug",
    "publisher_id",
    "publisher__name",
    "publisher__kind",
    "claim__created_at",
    "claim__updated_at",
)


def detail_rows(pk: int, as_of: dt.datetime | None) -> list[dict[str, Any]]:
    """Every version of the claim published (by `as_of`), newest first, in one query; only the version shown (current,
    or current at `as_of`) carries the claim as approved, in `approved`."""
    versions = Verdict.objects.filter(claim_id=pk, published_at__isnull=False)
    if as_of is None:
        shown = Q(superseded_at__isnull=True)
    else:
        versions = versions.filter(published_at__lte=as_of)
        shown = Q(superseded_at__isnull=True) | Q(superseded_at__gt=as_of)
    return list(
        versions.order_by("-version").values(
            *VERSION_COLUMNS, approved=Case(When(shown, then=F("claim_snapshot")), default=None)
        )
    )


def _version(row: dict[str, Any], pk: int, verdicts_url: str) -> dict[str, Any]:
    """A version as VerdictSerializer shows it, in its field order."""
    publisher = row["publisher_id"]
    return {
        "id": row["id"],
        "url": f"{verdicts_url}{row['id']}/",
        "claim": pk,
        "version": row["version"],
        "rating": _rating(row["rating__slug"], row["rating__label"], row["rating__bucket"], row["rating__scale__slug"]),
        "summary": row["summary"],
        "explanation": row["explanation"],
        "published_at": _datetime(row["published_at"]),
        "superseded_at": None if row["superseded_at"] is None else _datetime(row["superseded_at"]),
        "correction_kind": row["correction_kind"],
        "correction_note": row["correction_note"],
        "publisher": None
        if publisher is None
        else {"id": publisher, "name": row["publisher__name"], "kind": row["publisher__kind"]},
        "review_url": row["review_url"] or None,
        "textual_rating": row["textual_rating"] or None,
        "updated_at": _datetime(row["updated_at"]),
    }


def detail(pk: int, rows: list[dict[str, Any]], request: Request) -> dict[str, Any] | None:
    """The claim as ClaimDetailSerializer shows it to readers, or None when no version of it is shown (404)."""
    current = next((row for row in rows if row["approved"] is not None), None)
    if current is None:
        return None
    approved = current["approved"]
    data = _item(
        {
            "id": pk,
            "created_at": current["claim__created_at"],
            "shown__version": current["version"],
            "shown__summary": current["summary"],
            "shown__published_at": current["published_at"],
            "shown__rating__slug": current["rating__slug"],
            "shown__rating__label": current["rating__label"],
            "shown__rating__bucket": current["rating__bucket"],
            "shown__rating__scale__slug": current["rating__scale__slug"],
        },
        approved,
        _base(request, "claim-list"),
    )
    for name in PART_FIELDS:
        data[name] = approved[name]
    data["origins"] = independent_origins(data["attributions"])
    data["warnings"] = claim_warnings(data)
    verdicts_url = _base(request, "verdict-list")
    data["verdicts"] = [_version(row, pk, verdicts_url) for row in rows]
    return data
