"""The JSON-in-SQL baseline (bench/baseline_sqljson.py) answers readers with the app's own bytes, written by
PostgreSQL. Called in-process on the test's database connection, on the claims of tests/bench/test_baseline.py."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

pytest.importorskip("orjson", reason="bench-only dependency: pip install -r bench/requirements.txt")
from bench import baseline_sqljson
from tests.bench.test_baseline import call as baseline_call
from tests.bench.test_baseline import claims, ships  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("_on_the_test_connection")


@pytest.fixture
def _on_the_test_connection(db, monkeypatch, settings) -> None:
    # The test's rows are in its uncommitted transaction, which only Django's connection sees.
    connection.ensure_connection()
    monkeypatch.setattr(baseline_sqljson, "connection", lambda: connection.connection)
    settings.API_ANON_RATE = None


def call(path: str, query: str = "") -> tuple[str, bytes]:
    return baseline_call(path, query, baseline_sqljson.application)


def test_it_writes_the_apps_first_list_page_byte_for_byte(claims):  # noqa: F811
    app = APIClient().get("/api/v1/claims/")
    status, body = call("/api/v1/claims/")

    assert (app.status_code, status) == (200, "200 OK")
    assert len(app.json()["results"]) == 3
    assert b"\\u2028" in body
    assert body == app.content


def test_it_pages_the_list_both_ways_with_the_apps_links(claims):  # noqa: F811
    first = APIClient().get("/api/v1/claims/", {"page_size": 1})
    assert call("/api/v1/claims/", "page_size=1")[1] == first.content
    page, pages = first.json(), 1
    while page["next"]:
        query = page["next"].split("?", 1)[1]
        app = APIClient().get(f"/api/v1/claims/?{query}")
        assert call("/api/v1/claims/", query)[1] == app.content
        page, pages = app.json(), pages + 1
    back = page["previous"].split("?", 1)[1]

    assert pages == 3
    assert call("/api/v1/claims/", back)[1] == APIClient().get(f"/api/v1/claims/?{back}").content


def test_it_writes_the_apps_search_byte_for_byte(ships):  # noqa: F811
    for query in ({"q": "ships"}, {"q": "harbour ships"}, {"q": "zeppelin"}, {"q": "ships", "page_size": 2}):
        app = APIClient().get("/api/v1/claims/", query)
        status, body = call("/api/v1/claims/", "&".join(f"{k}={v}".replace(" ", "+") for k, v in query.items()))

        assert (app.status_code, status) == (200, "200 OK")
        assert body == app.content
    assert len(APIClient().get("/api/v1/claims/", {"q": "ships"}).json()["results"]) == 4


def test_it_pages_a_search_with_the_apps_links(ships):  # noqa: F811
    page = APIClient().get("/api/v1/claims/", {"q": "ships", "page_size": 1}).json()
    seen = [claim["id"] for claim in page["results"]]
    while page["next"]:
        query = page["next"].split("?", 1)[1]
        app = APIClient().get(f"/api/v1/claims/?{query}")
        assert call("/api/v1/claims/", query)[1] == app.content
        page = app.json()
        seen += [claim["id"] for claim in page["results"]]
    back = page["previous"].split("?", 1)[1]

    assert len(set(seen)) == 4
    assert call("/api/v1/claims/", back)[1] == APIClient().get(f"/api/v1/claims/?{back}").content


def test_it_writes_the_apps_claim_detail_byte_for_byte(claims):  # noqa: F811
    for claim in claims[:3]:
        app = APIClient().get(f"/api/v1/claims/{claim.pk}/")
        status, body = call(f"/api/v1/claims/{claim.pk}/")

        assert (app.status_code, status) == (200, "200 OK")
        assert body == app.content
    harbour = APIClient().get(f"/api/v1/claims/{claims[0].pk}/").json()
    assert harbour["origins"]["count"] == 1
    assert harbour["values"]
    assert call(f"/api/v1/claims/{claims[3].pk}/")[0] == "404 Not Found"


def test_it_writes_timestamps_and_jsonb_as_drf_does():
    # The claims above are all created now, with microseconds; a whole second is written without a fraction.
    ts, compact = baseline_sqljson.TS, baseline_sqljson.COMPACT
    document = {"a": 'x, y: " z\\', "b": [1, 2], "c": {"d": None}}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {ts('t.a')}, {ts('t.b')}, {compact('t.c')}::text "  # noqa: S608 - built from constants
            "FROM (SELECT %s::timestamptz AS a, %s::timestamptz AS b, %s::jsonb AS c) t",
            ["2024-03-01 12:00:00+00", "2024-03-01 13:00:00.1234+01", json.dumps(document)],
        )
        row = cursor.fetchone()

    assert row[:2] == ("2024-03-01T12:00:00Z", "2024-03-01T12:00:00.123400Z")
    assert row[2] == json.dumps(document, separators=(",", ":"))
