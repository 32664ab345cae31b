"""The benchmark's work that needs the app itself, run by bench/run.py in a child process with the app's settings.

    python -m bench.appside '<json: {"stage": "picks"} or {"stage": "setup", "paths": {...}, ...}>'

- picks: what the scenarios ask for, read from the data: the search terms (E3, E6), E2's filter, E4's claim, E5's
  cursor, E7's claims, and the data's size. Counts go through the app's own querysets (Verdict.search_approved,
  Claim.published), so a term is "in 5% of published claims" by the same matching readers get.
- setup: an editor with an API key (E7) and an admin session (E9), made with the app's services; then the queries
  each scenario's request makes, through Django's test client (no server), and how many rows each list answered.

Prints one JSON object on standard output.
"""

from __future__ import annotations

import json
import secrets
import sys
from typing import Any

import django

BENCH_EDITOR = "bench-editor"
# Rows read to rank candidate words: all of a small set; a prefix of a big one (term frequencies are those of the
# whole set, up to sampling noise, as the generator draws statements at random).
SAMPLE_ROWS = 20_000
CURRENT = "v.published_at IS NOT NULL AND v.superseded_at IS NULL"


def picks() -> dict[str, Any]:
    from django.db import connection

    from bench.run import choose_common_term, choose_rare_terms, date_window
    from claims.models import Claim, Verdict

    published = Claim.objects.published().count()
    with connection.cursor() as cursor:
        # Words, not stems ('simple' dictionary), that the English configuration does not drop as stop words.
        cursor.execute(
            f"""
            SELECT word, ndoc FROM ts_stat($$
                SELECT to_tsvector('simple', v.claim_snapshot ->> 'statement') FROM claims_verdict v
                WHERE {CURRENT} ORDER BY v.id LIMIT {SAMPLE_ROWS}
            $$) WHERE word ~ '^[a-z]{{4,}}$' AND to_tsvector('english', word) <> ''::tsvector
            """  # noqa: S608 - constants only
        )
        stats = cursor.fetchall()
        sampled = min(published, SAMPLE_ROWS)

        def matches(term: str) -> int:
            return Verdict.objects.search_approved(term).count()

        rare = next(
            (
                (term, count)
                for term in choose_rare_terms(stats, sampled, published)
                # At 1M claims every word of LIAR's vocabulary recurs (statements are spliced): rare is then relative.
                if 5 <= (count := matches(term)) <= max(50, published // 5000)
            ),
            None,
        )
        common_candidates = choose_common_term(stats, sampled)
        counted = [(term, matches(term)) for term in common_candidates]
        common = min(counted, key=lambda tc: (abs(tc[1] / max(published, 1) - 0.05), tc[0]), default=None)
        two = ("health care", matches("health care"))

        # E2: the source at some hop of the most published claims, its most frequent rating, and the claim dates of
        # its newest ~60 such claims, so the page is full.
        cursor.execute(
            f"""
            SELECT (hop -> 'source' ->> 'id')::bigint, count(DISTINCT v.claim_id)
            FROM claims_verdict v,
                 jsonb_array_elements(v.claim_snapshot -> 'attributions') a,
                 jsonb_array_elements(a -> 'hops') hop
            WHERE {CURRENT}
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1
            """  # noqa: S608
        )
        source_row = cursor.fetchone()
        e2: dict[str, Any] | None = None
        if source_row is not None:
            contains = json.dumps([{"hops": [{"source": {"id": source_row[0]}}]}])
            cursor.execute(
                f"""
                SELECT r.slug, count(*) FROM claims_verdict v JOIN claims_rating r ON r.id = v.rating_id
                WHERE {CURRENT} AND v.claim_snapshot -> 'attributions' @> %s::jsonb
                GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1
                """,  # noqa: S608
                [contains],
            )
            slug, _ = cursor.fetchone()
            cursor.execute(
                f"""
                SELECT v.claim_snapshot ->> 'claim_date'
                FROM claims_verdict v JOIN claims_rating r ON r.id = v.rating_id
                WHERE {CURRENT} AND v.claim_snapshot -> 'attributions' @> %s::jsonb AND r.slug = %s
                  AND v.claim_snapshot ->> 'claim_date' IS NOT NULL
                ORDER BY 1 DESC
                """,  # noqa: S608
                [contains, slug],
            )
            after, before = date_window([row[0] for row in cursor.fetchall()], 60)
            e2 = {
                "source": source_row[0],
                "source_claims": source_row[1],
                "rating": slug,
                "after": after,
                "before": before,
            }

        # E4: the published claim with the most hops, values and evidence in its snapshot (the heaviest detail).
        cursor.execute(
            f"""
            SELECT v.claim_id FROM claims_verdict v WHERE {CURRENT}
            ORDER BY jsonb_array_length(v.claim_snapshot -> 'attributions')
                     + jsonb_array_length(v.claim_snapshot -> 'values')
                     + jsonb_array_length(v.claim_snapshot -> 'evidence') DESC, v.claim_id DESC
            LIMIT 1
            """  # noqa: S608
        )
        detail = cursor.fetchone()
    # E5: the row half-way down the readers' list, in the list's own order.
    middle = (
        Claim.objects.published().order_by("-created_at", "-id").values_list("created_at", "id")[published // 2]
        if published
        else None
    )
    # E7: a few claims the desk is working on (not published: the readers' scenarios stay as they are).
    editing = list(Claim.objects.exclude(status="published").order_by("-id").values_list("id", flat=True)[:5])
    if not editing:
        editing = list(Claim.objects.order_by("-id").values_list("id", flat=True)[:5])
    return {
        "claims": Claim.objects.count(),
        "published": published,
        "terms": {
            "E3a": rare and {"q": rare[0], "matches": rare[1]},
            "E3b": common and {"q": common[0], "matches": common[1]},
            "E3c": {"q": two[0], "matches": two[1]},
        },
        "E2": e2,
        "E4": detail and detail[0],
        "E5": middle and {"created_at": middle[0].isoformat(), "id": middle[1], "position": published // 2},
        "E7": editing,
    }


def setup(paths: dict[str, str], e7_claim: int | None) -> dict[str, Any]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.services import api_key_create, user_create

    user = get_user_model().objects.filter(username=BENCH_EDITOR).first()
    if user is None:
        user = user_create(username=BENCH_EDITOR, role="editor", password=secrets.token_urlsafe(24))
    key = api_key_create(user=user, name="bench E7", rate="999999999/second", expires_in_days=1).key
    desk = Client()
    desk.force_login(user)
    session = desk.cookies[settings.SESSION_COOKIE_NAME].value
    reader = Client()

    counts: dict[str, list[str]] = {}
    rows: dict[str, int | None] = {}
    for name, path in paths.items():
        client = desk if path.startswith("/admin/") else reader
        client.get(path)  # warm: the first request of a process loads content types and the like
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"bench.appside: {name} {path} answered {response.status_code}")
        counts[name] = [query["sql"] for query in queries.captured_queries]
        body = response.content
        rows[name] = len(json.loads(body)["results"]) if body.startswith(b"{") and b'"results"' in body else None
    if e7_claim is not None:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        etag = reader.get(f"/api/v1/claims/{e7_claim}/", **auth)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            response = reader.patch(
                f"/api/v1/claims/{e7_claim}/",
                data=json.dumps({"tags": ["bench", "warm"]}),
                content_type="application/json",
                HTTP_IF_MATCH=etag,
                **auth,
            )
        if response.status_code != 200:
            raise SystemExit(f"bench.appside: E7 PATCH answered {response.status_code}: {response.content[:300]!r}")
        counts["E7"] = [query["sql"] for query in queries.captured_queries]
    return {
        "api_key": key,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
        "queries": counts,
        "rows": rows,
    }


def main() -> None:
    request = json.loads(sys.argv[1])
    django.setup()
    answer = picks() if request["stage"] == "picks" else setup(request["paths"], request.get("e7_claim"))
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
