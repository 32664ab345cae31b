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
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from rest_framework.request import Request

from claims.api.public import CONTENT_FIELDS, PART_FIELDS
from claims.crossref.consistency import claim_warnings
from claims.crossref.origins import independent_origins
from claims.models import ClaimStatus

PUBLISHED = ClaimStatus.PUBLISHED.value


def _datetime(value: dt.datetime, zone: dt.tzinfo) -> str:
    """What the serializers' DateTimeField writes (in the current time `zone`, ISO 8601, "Z" for UTC), without its
    per-call settings and time-zone lookups: called a hundred times a page, those were a tenth of it."""
    text = value.astimezone(zone).isoformat()
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
CURSOR_KEYS = ("created_at", "updated_at", "claim_date")


def key_rows(claims: QuerySet) -> QuerySet:
    """`claims` (ClaimQuerySet.shown_rows(), filtered and ordered) as the keys a page is chosen by: the id and every
    key the cursor may order by. The rows themselves are read by page_rows() for the page's ids only: a search orders
    its matches by rank, so every column selected here is computed for every match before the page is cut, and the
    claims as approved of 40,000 matches took seconds to decompress where 50 take a millisecond."""
    extra = [name for name in ("rank",) if name in claims.query.annotations]
    return claims.values("id", *CURSOR_KEYS, *extra)


# The default list (newest first, no filter: what clients poll, bench E1 and E5) in SQL written once: what key_rows()
# and page_rows() read over ClaimQuerySet.shown_rows(), in one query, and without building it for every page (the ORM's
# compilation was a fifth of the page). Columns in LIST_COLUMNS order, then the list's keys of the claim as approved.
DEFAULT_KEYS = ("-created_at", "-id")
_APPROVED = ", ".join(f"'{key}', v.claim_snapshot -> '{key}'" for key in CONTENT_FIELDS)
_DEFAULT_LIST_SQL = f"""
SELECT c.id, c.created_at, v.version, v.summary, v.published_at, r.slug, r.label, r.bucket, s.slug,
       jsonb_build_object({_APPROVED})
FROM claims_claim c
JOIN claims_verdict v ON v.claim_id = c.id AND v.published_at IS NOT NULL AND v.superseded_at IS NULL
LEFT JOIN claims_rating r ON r.id = v.rating_id
LEFT JOIN claims_ratingscale s ON s.id = r.scale_id
{{where}}
ORDER BY c.created_at {{direction}}, c.id {{direction}}
LIMIT %s
"""  # noqa: S608 - built from constants: the cursor's values and the limit are parameters
_DEFAULT_LIST = {
    (after, reverse): _DEFAULT_LIST_SQL.format(
        where="" if not after else f"WHERE (c.created_at, c.id) {'>' if reverse else '<'} (%s, %s)",
        direction="ASC" if reverse else "DESC",
    )
    for after in (False, True)
    for reverse in (False, True)
}
_DEFAULT_NAMES = LIST_COLUMNS  # the cursor's keys, created_at and id, among them
_BY_IDS = _DEFAULT_LIST_SQL.format(where="WHERE c.id = ANY(%s)", direction="").replace("LIMIT %s", "")


@contextmanager
def _prepared() -> Iterator[Any]:
    """A cursor on Django's connection that binds parameters on the server, so that psycopg prepares a statement run
    often (DATABASES OPTIONS prepare_threshold): planning the detail's five-table join took longer than running it
    (2 ms against 0.6 ms prepared). Django's own cursors bind on the client and never prepare. Wrapped as Django wraps
    its cursors, so query logging and execute wrappers (the tests' query counts) see it."""
    with connection.cursor() as django_cursor:  # Django's connection handling: connect, health check, thread checks
        raw = ServerBindingCursor(django_cursor.cursor.connection)
        with connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw) as cursor:
            yield cursor


def is_default_list(params: Any) -> bool:
    """Whether a list request asks for the default list: no filter, no search, no ordering, only the page."""
    return all(name in ("cursor", "page_size", "format") for name in params)


def default_list_rows(after: tuple[Any, ...] | None, reverse: bool, limit: int) -> list[dict[str, Any]]:
    """CursorPagination.paginate_rows()'s `fetch` for the default list: rows as page_rows() gives them."""
    sql = _DEFAULT_LIST[after is not None, reverse]
    with _prepared() as cursor:
        cursor.execute(sql, [*(after or ()), limit])
        return _as_rows(cursor.fetchall())


def _as_rows(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    # jsonb reaches Django's cursors as text (JSONField decodes its own): decoded here.
    return [{**dict(zip(_DEFAULT_NAMES, row[:-1], strict=True)), "approved": orjson.loads(row[-1])} for row in rows]


def page_rows(keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a page chosen by key_rows(), in its order, read by id in one query."""
    if not keys:
        return []
    with _prepared() as cursor:
        cursor.execute(_BY_IDS, [[key["id"] for key in keys]])
        by_id = {row["id"]: row for row in _as_rows(cursor.fetchall())}
    # A claim deleted between the two queries (autocommit: two snapshots) is left out rather than failing the page.
    return [by_id[key["id"]] for key in keys if key["id"] in by_id]


def _rating(slug: str | None, label: str | None, bucket: str | None, scale: str | None) -> dict[str, Any] | None:
    # RatingSerializer's shape; a void version (a withdrawn verdict) has no rating.
    return None if slug is None else {"slug": slug, "label": label, "bucket": bucket, "scale": scale}


def _base(request: Request, view_name: str) -> str:
    # The router's detail URL is the list URL plus "<pk>/"; tests compare with HyperlinkedIdentityField's output.
    return request.build_absolute_uri(reverse(view_name))


def _item(row: dict[str, Any], approved: dict[str, Any], claims_url: str, zone: dt.tzinfo) -> dict[str, Any]:
    """A claim as ClaimListSerializer shows it to readers, in its field order."""
    pk = row["id"]
    published_at = _datetime(row["shown__published_at"], zone)
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
        "created_at": _datetime(row["created_at"], zone),
        # For readers, when the version they are shown was published.
        "updated_at": published_at,
    }


def list_items(rows: list[dict[str, Any]], request: Request) -> list[dict[str, Any]]:
    claims_url = _base(request, "claim-list")
    zone = timezone.get_current_timezone()
    return [_item(row, row["approved"], claims_url, zone) for row in rows]


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
# VERSION_COLUMNS from the joined tables, as _DETAIL_SQL names them.
_JOINED = {
    "rating__slug": "r.slug",
    "rating__label": "r.label",
    "rating__bucket": "r.bucket",
    "rating__scale__slug": "s.slug",
    "publisher__name": "p.name",
    "publisher__kind": "p.kind",
    "claim__created_at": "c.created_at",
    "claim__updated_at": "c.updated_at",
}


# Every version of a claim published (by `as_of`), newest first, each joined to its rating, scale and publisher and to
# the claim; the version shown (current, or current at `as_of`) with the claim as approved. Written once, like the
# default list's: building it with the ORM, and decoding the snapshot with the standard library, was 9 of a detail's
# 13 ms (bench E4).
_DETAIL_SQL = f"""
SELECT {", ".join("v." + name if "__" not in name else _JOINED[name] for name in VERSION_COLUMNS)},
       CASE WHEN v.superseded_at IS NULL{{shown_then}} THEN v.claim_snapshot END
FROM claims_verdict v
JOIN claims_claim c ON c.id = v.claim_id
LEFT JOIN claims_rating r ON r.id = v.rating_id
LEFT JOIN claims_ratingscale s ON s.id = r.scale_id
LEFT JOIN sources_source p ON p.id = v.publisher_id
WHERE v.claim_id = %(pk)s AND v.published_at IS NOT NULL{{published_by}}
ORDER BY v.version DESC
"""  # noqa: S608 - built from constants: the claim's id and the moment are parameters
_DETAIL = {
    False: _DETAIL_SQL.format(shown_then="", published_by=""),
    True: _DETAIL_SQL.format(
        shown_then=" OR v.superseded_at > %(as_of)s", published_by=" AND v.published_at <= %(as_of)s"
    ),
}


def detail_rows(pk: int, as_of: dt.datetime | None) -> list[dict[str, Any]]:
    """Every version of the claim published (by `as_of`), newest first, in one query; only the version shown (current,
    or current at `as_of`) carries the claim as approved, in `approved`."""
    if not -(2**63) <= pk < 2**63:
        return []  # no bigint: no claim
    with _prepared() as cursor:
        cursor.execute(_DETAIL[as_of is not None], {"pk": pk, "as_of": as_of})
        rows = cursor.fetchall()
    return [
        {
            **dict(zip(VERSION_COLUMNS, row[:-1], strict=True)),
            # jsonb reaches Django's cursors as text.
            "approved": None if row[-1] is None else orjson.loads(row[-1]),
        }
        for row in rows
    ]


def _version(row: dict[str, Any], pk: int, verdicts_url: str, zone: dt.tzinfo) -> dict[str, Any]:
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
        "published_at": _datetime(row["published_at"], zone),
        "superseded_at": None if row["superseded_at"] is None else _datetime(row["superseded_at"], zone),
        "correction_kind": row["correction_kind"],
        "correction_note": row["correction_note"],
        "publisher": None
        if publisher is None
        else {"id": publisher, "name": row["publisher__name"], "kind": row["publisher__kind"]},
        "review_url": row["review_url"] or None,
        "textual_rating": row["textual_rating"] or None,
        "updated_at": _datetime(row["updated_at"], zone),
    }


def detail(pk: int, rows: list[dict[str, Any]], request: Request) -> dict[str, Any] | None:
    """The claim as ClaimDetailSerializer shows it to readers, or None when no version of it is shown (404)."""
    current = next((row for row in rows if row["approved"] is not None), None)
    if current is None:
        return None
    approved = current["approved"]
    zone = timezone.get_current_timezone()
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
        zone,
    )
    for name in PART_FIELDS:
        data[name] = approved[name]
    data["origins"] = independent_origins(data["attributions"])
    data["warnings"] = claim_warnings(data)
    verdicts_url = _base(request, "verdict-list")
    data["verdicts"] = [_version(row, pk, verdicts_url, zone) for row in rows]
    return data
