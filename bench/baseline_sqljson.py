"""The readers' claim list (E1), search (E3) and detail (E4) with the JSON written by PostgreSQL: PostgREST's technique.

Each request is one query whose result is the response body as text (row_to_json per object, string_agg for arrays),
which the WSGI app writes out without parsing it. It answers the same URLs as bench/baseline_wsgi.py with the same
bytes as the Django app. What Python still does, and why:

- next/previous links: the query returns the page's boundary keys and Python writes the cursors and links (the
  cursor is base64 of Python's json.dumps and the links are DRF's replace_query_param over the request's query).
- the detail's `origins` and `warnings`: derived by the app's own plain modules (claims.crossref) from the claim's
  chains and values, which Python reads (orjson) from a small extra column and splices into the body.
- U+2028/U+2029: DRF escapes them, PostgreSQL does not; a byte replace when present.

PostgreSQL writes JSON almost as DRF does, but not quite, and each difference is handled in SQL:
- json_build_object writes `{"a" : 1}` and json_agg separates elements with ", " and a newline; row_to_json over a
  subselect with named columns, and string_agg(..., ','), write compact JSON.
- jsonb (the claim as approved) prints as `{"a": 1, "b": [1, 2]}`: COMPACT removes the space after every ':' and
  ',' outside strings with one regular expression (a match is either a whole string, kept, or a separator).
- timestamps: DRF writes datetime.isoformat() in UTC with a Z, microseconds only when not zero; PostgreSQL's JSON
  trims the fraction's trailing zeros and writes +00:00. TS() writes DRF's form with to_char.

Run it under gunicorn: `DATABASE_URL=... gunicorn bench.baseline_sqljson:application`.
"""

from __future__ import annotations

import os
from typing import Any

import orjson
import psycopg

from bench.baseline_wsgi import (
    SEARCH_CANDIDATES,
    _cursor,
    _link,
    list_request,
    serving,
)
from claims.crossref.consistency import claim_warnings
from claims.crossref.origins import independent_origins


def TS(expr: str) -> str:
    """SQL writing the timestamptz `expr` as DRF does: 2024-03-01T12:00:00.123456Z, no fraction when it is zero."""
    utc = f"({expr} AT TIME ZONE 'UTC')"
    fraction = f"CASE WHEN date_trunc('second', {utc}) = {utc} THEN '' ELSE to_char({utc}, '.US') END"
    return f"""(to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') || {fraction} || 'Z')"""


def COMPACT(expr: str) -> str:
    """SQL writing the jsonb `expr` as compact json: jsonb's text has a space after every ':' and ',' between
    tokens, and none elsewhere outside strings; a match is a whole string (kept as \\1) or a separator (\\2)."""
    return f"""regexp_replace(({expr})::text, '("(?:[^"\\\\]|\\\\.)*")|([:,]) ', '\\1\\2', 'g')::json"""


def _rating(r: str, s: str) -> str:
    # RatingSerializer's object, or null for a version without a rating.
    return (
        f"(SELECT row_to_json(x) FROM (SELECT {r}.slug, {r}.label, {r}.bucket, {s}.slug AS scale) x"  # noqa: S608
        f" WHERE {r}.id IS NOT NULL)"
    )


def _snapshot(key: str) -> str:
    return COMPACT(f"v.claim_snapshot -> '{key}'")


# A claim as the list shows it (claims.api.readers._item), in its field order, over claim c and version shown v.
ITEM = f"""
    c.id, %(base)s || '/api/v1/claims/' || c.id || '/' AS url,
    v.claim_snapshot ->> 'statement' AS statement, v.claim_snapshot ->> 'quote' AS quote,
    v.claim_snapshot ->> 'kind' AS kind, 'published' AS status, {_snapshot("claimant")} AS claimant,
    v.claim_snapshot ->> 'claim_date' AS claim_date, v.claim_snapshot ->> 'language' AS language,
    {_snapshot("tags")} AS tags, {_snapshot("question")} AS question,
    {_snapshot("first_appearance")} AS first_appearance,
    (SELECT row_to_json(cv) FROM (
        SELECT v.version, {_rating("r", "s")} AS rating, v.summary, {TS("v.published_at")} AS published_at
    ) cv) AS current_verdict,
    {TS("c.created_at")} AS created_at, {TS("v.published_at")} AS updated_at
"""  # noqa: S608 - built from constants

# The page's rows are chosen first (by id and key only) and only they are written out. One row: how many rows the
# page query found (one more than the page: there is a next one), the results array, the keys in display order.
PAGE_SQL = f"""
WITH page AS ({{page}}),
kept AS (SELECT * FROM page ORDER BY key {{direction}}, id {{direction}} LIMIT %(size)s)
SELECT (SELECT count(*) FROM page),
       '[' || coalesce(string_agg(row_to_json(i)::text, ',' ORDER BY kept.key DESC, kept.id DESC), '') || ']',
       array_agg(kept.key ORDER BY kept.key DESC, kept.id DESC),
       array_agg(kept.id ORDER BY kept.key DESC, kept.id DESC)
FROM kept
JOIN claims_claim c ON c.id = kept.id
JOIN claims_verdict v ON v.id = kept.verdict
LEFT JOIN claims_rating r ON r.id = v.rating_id
LEFT JOIN claims_ratingscale s ON s.id = r.scale_id
CROSS JOIN LATERAL (SELECT {ITEM}) i
"""  # noqa: S608 - built from constants: every value is a parameter

LIST_PAGE = """
SELECT c.id, c.created_at AS key, v.id AS verdict
FROM claims_claim c
JOIN claims_verdict v ON v.claim_id = c.id AND v.published_at IS NOT NULL AND v.superseded_at IS NULL
{where}
ORDER BY c.created_at {direction}, c.id {direction}
LIMIT %(limit)s
"""

# claims.querysets ClaimQuerySet.search_approved, as bench/baseline_wsgi.py's SEARCH_SQL.
SEARCH_PAGE = f"""
SELECT m.id, m.rank AS key, m.verdict FROM (
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
"""  # noqa: S608

_PAGES = {
    (search, after, reverse): PAGE_SQL.format(
        page=(SEARCH_PAGE if search else LIST_PAGE).format(
            where=""
            if not after
            else f"WHERE ({'m.rank, m.id' if search else 'c.created_at, c.id'}) {'>' if reverse else '<'} "
            "(%(after)s, %(id)s)",
            direction="ASC" if reverse else "DESC",
        ),
        direction="ASC" if reverse else "DESC",
    )
    for search in (False, True)
    for after in (False, True)
    for reverse in (False, True)
}

# The detail: the claim as the list shows it, then its parts (the body up to `evidence`, without its closing brace),
# every published version newest first (VerdictSerializer's shape), and what origins and warnings are derived from.
DETAIL_SQL = f"""
SELECT left(row_to_json(head)::text, -1),
       (SELECT '[' || string_agg(row_to_json(ver)::text, ',' ORDER BY w.version DESC) || ']'
        FROM claims_verdict w
        LEFT JOIN claims_rating wr ON wr.id = w.rating_id
        LEFT JOIN claims_ratingscale ws ON ws.id = wr.scale_id
        LEFT JOIN sources_source p ON p.id = w.publisher_id
        CROSS JOIN LATERAL (
            SELECT w.id, %(base)s || '/api/v1/verdicts/' || w.id || '/' AS url, w.claim_id AS claim, w.version,
                   {_rating("wr", "ws")} AS rating, w.summary, w.explanation,
                   {TS("w.published_at")} AS published_at, {TS("w.superseded_at")} AS superseded_at,
                   w.correction_kind, w.correction_note,
                   (SELECT row_to_json(x) FROM (SELECT p.id, p.name, p.kind) x WHERE p.id IS NOT NULL) AS publisher,
                   NULLIF(w.review_url, '') AS review_url, NULLIF(w.textual_rating, '') AS textual_rating,
                   {TS("w.updated_at")} AS updated_at
        ) ver
        WHERE w.claim_id = c.id AND w.published_at IS NOT NULL),
       jsonb_build_object(
           'attributions', v.claim_snapshot -> 'attributions', 'values', v.claim_snapshot -> 'values',
           'claim_date', v.claim_snapshot -> 'claim_date', 'first_appearance', v.claim_snapshot -> 'first_appearance'
       )::text
FROM claims_claim c
JOIN claims_verdict v ON v.claim_id = c.id AND v.published_at IS NOT NULL AND v.superseded_at IS NULL
LEFT JOIN claims_rating r ON r.id = v.rating_id
LEFT JOIN claims_ratingscale s ON s.id = r.scale_id
CROSS JOIN LATERAL (
    SELECT {ITEM}, {_snapshot("attributions")} AS attributions, {_snapshot("values")} AS values,
           {_snapshot("evidence")} AS evidence
) head
WHERE c.id = %(id)s
"""  # noqa: S608

_connection: psycopg.Connection | None = None


def connection() -> psycopg.Connection:
    # One connection per worker process, kept open (the app keeps its own with CONN_MAX_AGE).
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, options="-c TimeZone=UTC")
    return _connection


def fetch(sql: str, args: dict[str, Any]) -> tuple[Any, ...] | None:
    return connection().cursor().execute(sql, args).fetchone()


def _escaped(body: bytes) -> bytes:
    # DRF's JSONRenderer escapes these two for JavaScript; PostgreSQL writes them raw.
    if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
        body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
    return body


def claim_list(base: str, query: str) -> tuple[str, bytes]:
    request = list_request(query)
    if isinstance(request, tuple):
        return request
    params, text, keys, cursor, size = request.params, request.text, request.keys, request.cursor, request.size
    reverse = bool(cursor and cursor[2])
    args: dict[str, Any] = {"base": base, "limit": size + 1, "size": size, "q": text}
    if cursor is not None:
        args |= {"after": cursor[0], "id": cursor[1]}
    row = fetch(_PAGES[text is not None, cursor is not None, reverse], args)
    assert row is not None  # an aggregate: one row
    found, results, page_keys, ids = row
    more = found > size
    has_next, has_previous = (True, more) if reverse else (more, cursor is not None)
    following = _link(base, params, _cursor(keys, (page_keys[-1], ids[-1]), False)) if has_next and ids else None
    preceding = _link(base, params, _cursor(keys, (page_keys[0], ids[0]), True)) if has_previous and ids else None
    body = b'{"next":%b,"previous":%b,"results":%b}' % (
        orjson.dumps(following),
        orjson.dumps(preceding),
        results.encode(),
    )
    return "200 OK", _escaped(body)


def claim_detail(base: str, pk: int) -> tuple[str, bytes]:
    row = fetch(DETAIL_SQL, {"id": pk, "base": base})
    if row is None:
        return "404 Not Found", b'{"detail":"No Claim matches the given query."}'
    head, versions, parts = row
    claim = orjson.loads(parts)
    derived = orjson.dumps(independent_origins(claim["attributions"])), orjson.dumps(claim_warnings(claim))
    body = b'%b,"origins":%b,"warnings":%b,"verdicts":%b}' % (head.encode(), *derived, versions.encode())
    return "200 OK", _escaped(body)


application = serving(claim_list, claim_detail)
