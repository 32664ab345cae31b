"""The bare-WSGI limit for the readers' claim list (E1), search (E3) and claim detail (E4): psycopg 3 and orjson, no
framework.

It answers GET /api/v1/claims/ (with `cursor` and `page_size`, or `q` with them) and /api/v1/claims/{id}/ for
anonymous readers with the same bytes as the Django app
(DRF's JSONRenderer output: compact, UTF-8, U+2028/U+2029 escaped, datetimes in UTC with a Z), so a benchmark
compares the cost of producing one response, nothing else. One SQL query per request. The pure derivations the
detail carries (independent origins, consistency warnings) are the app's own plain modules: they are part of what
the response is, not framework overhead, and reimplementing them would only measure a different algorithm.

Run it under gunicorn: `DATABASE_URL=... gunicorn bench.baseline_wsgi:application`.
"""

from __future__ import annotations

import json
import os
import re
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

import orjson
import psycopg
from psycopg.types.json import set_json_loads

from claims.crossref.consistency import claim_warnings
from claims.crossref.origins import independent_origins

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
KEYS = ["-created_at", "-id"]
SEARCH_KEYS = ["-rank", "-id"]
SEARCH_CANDIDATES = 500  # claims.querysets.SEARCH_CANDIDATES (tests/bench/test_baseline.py checks they agree)
MAX_QUERY_LENGTH = 200  # the app's ClaimFilterSet.q
CONTENT_FIELDS = ("statement", "quote", "kind", "claimant", "claim_date", "language", "tags", "question")
DETAIL_PATH = re.compile(r"^/api/v1/claims/([0-9]{1,18})/$")
# The list reads only the snapshot keys a list shows (as the app's for_api_list does), each as its own column.
SNAPSHOT_LIST = ", ".join(f"v.claim_snapshot -> '{key}'" for key in (*CONTENT_FIELDS, "first_appearance"))

# Built from constants only (no input): the cursor values and the limit are bound parameters.
LIST_SQL = f"""
SELECT c.id, c.created_at, v.version, v.summary, v.published_at, r.slug, r.label, r.bucket, s.slug, {SNAPSHOT_LIST}
FROM claims_claim c
JOIN claims_verdict v ON v.claim_id = c.id AND v.published_at IS NOT NULL AND v.superseded_at IS NULL
LEFT JOIN claims_rating r ON r.id = v.rating_id
LEFT JOIN claims_ratingscale s ON s.id = r.scale_id
{{where}}
ORDER BY c.created_at {{direction}}, c.id {{direction}}
LIMIT %(limit)s
"""  # noqa: S608

# Readers' search (claims.querysets ClaimQuerySet.search_approved): of the versions shown whose claim as approved
# matches, the SEARCH_CANDIDATES most recently published, ranked by ts_rank as a float8 (the cursor's key), best
# first, then the newest claim. The page's ids are chosen first (the inner query) and only its rows read the claim as
# approved: the projection of a sorted query is computed for every row sorted. Columns as LIST_SQL's, then the rank.
SEARCH_SQL = f"""
WITH page AS (
    SELECT m.id, m.verdict, m.rank FROM (
        SELECT v.claim_id AS id, v.id AS verdict,
               ts_rank(v.approved_document, websearch_to_tsquery('english', %(q)s))::float8 AS rank
        FROM claims_verdict v
        WHERE v.id IN (
            SELECT n.id FROM claims_verdict n
            WHERE n.published_at IS NOT NULL AND n.superseded_at IS NULL
              AND n.approved_document @@ websearch_to_tsquery('english', %(q)s)
            ORDER BY n.published_at DESC, n.id DESC
            LIMIT {SEARCH_CANDIDATES}
        )
    ) m
    {{where}}
    ORDER BY m.rank {{direction}}, m.id {{direction}}
    LIMIT %(limit)s
)
SELECT c.id, c.created_at, v.version, v.summary, v.published_at, r.slug, r.label, r.bucket, s.slug, {SNAPSHOT_LIST},
       page.rank
FROM page
JOIN claims_claim c ON c.id = page.id
JOIN claims_verdict v ON v.id = page.verdict
LEFT JOIN claims_rating r ON r.id = v.rating_id
LEFT JOIN claims_ratingscale s ON s.id = r.scale_id
ORDER BY page.rank {{direction}}, page.id {{direction}}
"""  # noqa: S608

# Every published version of the claim, newest first, with the snapshot of the current one only.
DETAIL_SQL = """
SELECT c.id, c.created_at, v.id, v.version, v.summary, v.explanation, v.published_at, v.superseded_at,
       v.correction_kind, v.correction_note, v.review_url, v.textual_rating, v.updated_at,
       r.slug, r.label, r.bucket, s.slug, p.id, p.name, p.kind,
       CASE WHEN v.superseded_at IS NULL THEN v.claim_snapshot END
FROM claims_claim c
JOIN claims_verdict v ON v.claim_id = c.id AND v.published_at IS NOT NULL
LEFT JOIN claims_rating r ON r.id = v.rating_id
LEFT JOIN claims_ratingscale s ON s.id = r.scale_id
LEFT JOIN sources_source p ON p.id = v.publisher_id
WHERE c.id = %(id)s
ORDER BY v.version DESC
"""

_connection: psycopg.Connection | None = None


def connection() -> psycopg.Connection:
    # One connection per worker process, kept open (the app keeps its own with CONN_MAX_AGE).
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, options="-c TimeZone=UTC")
    return _connection


def fetch(sql: str, args: dict[str, Any]) -> list[tuple[Any, ...]]:
    cursor = connection().cursor()
    # On the cursor, not the connection: the test runs this on Django's connection, whose json loaders must stay.
    set_json_loads(orjson.loads, cursor)
    return cursor.execute(sql, args).fetchall()


def render(data: Any) -> bytes:
    # DRF's JSONRenderer escapes these two for JavaScript; orjson writes them raw.
    body = orjson.dumps(data, option=orjson.OPT_UTC_Z)
    if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
        body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
    return body


def _rating(slug: str | None, label: str | None, bucket: str | None, scale: str | None) -> dict[str, Any] | None:
    return None if slug is None else {"slug": slug, "label": label, "bucket": bucket, "scale": scale}


def _cursor(keys: list[str], values: tuple[Any, Any], reverse: bool) -> str:
    # factcheck.pagination.CursorPagination.encode_cursor: (created_at, id) for the list, (rank, id) for a search.
    first = values[0].isoformat() if isinstance(values[0], datetime) else values[0]
    payload: dict[str, Any] = {"k": keys, "v": [first, values[1]]}
    if reverse:
        payload["r"] = True
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(encoded: str, keys: list[str]) -> tuple[Any, int, bool] | None:
    try:
        payload = json.loads(urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        if payload.get("k") != keys:
            return None
        first, pk = payload["v"]
        if keys is KEYS:
            first = datetime.fromisoformat(first)
            if first.tzinfo is None:
                return None
        elif not isinstance(first, (int, float)) or isinstance(first, bool):
            return None
        if not isinstance(pk, int):
            return None
        return first, pk, payload.get("r") is True
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _items(base: str, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    # Rows in LIST_SQL's columns, as the app's claims.api.readers._item writes them.
    return [
        {
            "id": row[0],
            "url": f"{base}/api/v1/claims/{row[0]}/",
            "statement": row[9],
            "quote": row[10],
            "kind": row[11],
            "status": "published",
            "claimant": row[12],
            "claim_date": row[13],
            "language": row[14],
            "tags": row[15],
            "question": row[16],
            "first_appearance": row[17],
            "current_verdict": {
                "version": row[2],
                "rating": _rating(row[5], row[6], row[7], row[8]),
                "summary": row[3],
                "published_at": row[4],
            },
            "created_at": row[1],
            "updated_at": row[4],
        }
        for row in rows
    ]


def _link(base: str, params: dict[str, list[str]], cursor: str) -> str:
    # DRF's replace_query_param over the request's own query: its parameters sorted by name, cursor replaced.
    return f"{base}/api/v1/claims/?" + urlencode(sorted({**params, "cursor": [cursor]}.items()), doseq=True)


@dataclass(frozen=True)
class ListRequest:
    params: dict[str, list[str]]
    text: str | None  # the search, if any
    keys: list[str]  # the cursor's ordering
    cursor: tuple[Any, int, bool] | None
    size: int


def list_request(query: str) -> ListRequest | tuple[str, bytes]:
    """The list's query string read as the app reads it (this module's and bench/baseline_sqljson.py's), or the 400
    answer when the baselines do not serve it."""
    params = parse_qs(query, keep_blank_values=True)
    if set(params) - {"cursor", "page_size", "q"}:
        return "400 Bad Request", b'{"detail":"The baseline serves the default list and the search only."}'
    text = params["q"][-1].strip() if "q" in params else None
    if text is not None and not 0 < len(text) <= MAX_QUERY_LENGTH:
        return "400 Bad Request", b'{"detail":"The baseline searches for 1 to 200 characters."}'
    keys = KEYS if text is None else SEARCH_KEYS
    cursor = _decode(params["cursor"][-1], keys) if "cursor" in params else None
    if "cursor" in params and cursor is None:
        return "400 Bad Request", b'{"detail":"Invalid cursor."}'
    size = PAGE_SIZE
    if "page_size" in params:
        raw_size = params["page_size"][-1]
        if not raw_size.isdigit() or int(raw_size) < 1:
            return "400 Bad Request", b'{"detail":"Invalid page size."}'
        size = min(int(raw_size), MAX_PAGE_SIZE)
    return ListRequest(params, text, keys, cursor, size)


def claim_list(base: str, query: str) -> tuple[str, bytes]:
    request = list_request(query)
    if isinstance(request, tuple):
        return request
    params, text, keys, cursor, size = request.params, request.text, request.keys, request.cursor, request.size
    reverse = bool(cursor and cursor[2])
    direction = "ASC" if reverse else "DESC"
    args: dict[str, Any] = {"limit": size + 1}
    where = ""
    if text is None:
        if cursor is not None:
            where = f"WHERE (c.created_at, c.id) {'>' if reverse else '<'} (%(after)s, %(id)s)"
        sql = LIST_SQL.format(where=where, direction=direction)
    else:
        if cursor is not None:
            where = f"WHERE (m.rank, m.id) {'>' if reverse else '<'} (%(after)s, %(id)s)"
        sql = SEARCH_SQL.format(where=where, direction=direction)
        args["q"] = text
    if cursor is not None:
        args |= {"after": cursor[0], "id": cursor[1]}
    rows = fetch(sql, args)
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, cursor is not None

    def boundary(row: tuple[Any, ...]) -> tuple[Any, int]:
        return (row[1], row[0]) if text is None else (row[18], row[0])

    page = {
        "next": _link(base, params, _cursor(keys, boundary(rows[-1]), False)) if has_next and rows else None,
        "previous": _link(base, params, _cursor(keys, boundary(rows[0]), True)) if has_previous and rows else None,
        "results": _items(base, rows),
    }
    return "200 OK", render(page)


def claim_detail(base: str, pk: int) -> tuple[str, bytes]:
    rows = fetch(DETAIL_SQL, {"id": pk})
    current = next((row for row in rows if row[7] is None), None)
    if current is None:
        return "404 Not Found", b'{"detail":"No Claim matches the given query."}'
    snapshot = current[20]
    data: dict[str, Any] = {
        "id": pk,
        "url": f"{base}/api/v1/claims/{pk}/",
        "statement": snapshot["statement"],
        "quote": snapshot["quote"],
        "kind": snapshot["kind"],
        "status": "published",
        "claimant": snapshot["claimant"],
        "claim_date": snapshot["claim_date"],
        "language": snapshot["language"],
        "tags": snapshot["tags"],
        "question": snapshot["question"],
        "first_appearance": snapshot["first_appearance"],
        "current_verdict": {
            "version": current[3],
            "rating": _rating(current[13], current[14], current[15], current[16]),
            "summary": current[4],
            "published_at": current[6],
        },
        "created_at": current[1],
        "updated_at": current[6],
        "attributions": snapshot["attributions"],
        "values": snapshot["values"],
        "evidence": snapshot["evidence"],
        "origins": None,
        "warnings": None,
        "verdicts": [
            {
                "id": row[2],
                "url": f"{base}/api/v1/verdicts/{row[2]}/",
                "claim": pk,
                "version": row[3],
                "rating": _rating(row[13], row[14], row[15], row[16]),
                "summary": row[4],
                "explanation": row[5],
                "published_at": row[6],
                "superseded_at": row[7],
                "correction_kind": row[8],
                "correction_note": row[9],
                "publisher": None if row[17] is None else {"id": row[17], "name": row[18], "kind": row[19]},
                "review_url": row[10] or None,
                "textual_rating": row[11] or None,
                "updated_at": row[12],
            }
            for row in rows
        ],
    }
    data["origins"] = independent_origins(data["attributions"])
    data["warnings"] = claim_warnings(data)
    return "200 OK", render(data)


Answer = tuple[str, bytes]


def serving(
    claims: Callable[[str, str], Answer], claim: Callable[[str, int], Answer]
) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """The WSGI application answering the list with `claims(base, query)` and a detail with `claim(base, id)`: this
    module's, and bench/baseline_sqljson.py's."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        base = f"{environ['wsgi.url_scheme']}://{host}"
        path = environ.get("PATH_INFO", "")
        if environ["REQUEST_METHOD"] != "GET":
            status, body = "405 Method Not Allowed", b'{"detail":"GET only."}'
        elif path == "/api/v1/claims/":
            status, body = claims(base, environ.get("QUERY_STRING", ""))
        elif (match := DETAIL_PATH.match(path)) is not None:
            status, body = claim(base, int(match.group(1)))
        elif path == "/healthz":
            status, body = "200 OK", b"{}"
        else:
            status, body = "404 Not Found", b'{"detail":"Not found."}'
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return application


application = serving(claim_list, claim_detail)
