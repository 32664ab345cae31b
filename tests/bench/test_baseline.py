"""The bare-WSGI baseline (bench/baseline_wsgi.py) answers readers with the app's own bytes, so the benchmark compares
the cost of one response and nothing else. Called in-process on the test's database connection: no server."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.postgres.fields.ranges import NumericRange
from django.db import connection
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, ClaimValue, CorrectionKind, HopRelation
from tests.factories import AppearanceFactory, EditorFactory, SourceFactory, default_rating

pytest.importorskip("orjson", reason="bench-only dependency: pip install -r bench/requirements.txt")
from bench import baseline_wsgi


@pytest.fixture(autouse=True)
def _on_the_test_connection(db, monkeypatch, settings) -> None:
    # The test's rows are in its uncommitted transaction, which only Django's connection sees.
    connection.ensure_connection()
    monkeypatch.setattr(baseline_wsgi, "connection", lambda: connection.connection)
    settings.API_ANON_RATE = None


def call(path: str, query: str = "", application: Any = None) -> tuple[str, bytes]:
    """A GET of the bare baseline (or of `application`, another baseline), in-process."""
    application = application or baseline_wsgi.application
    environ: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    environ["wsgi.input"] = io.BytesIO()
    answer: dict[str, str] = {}
    body = b"".join(application(environ, lambda status, headers: answer.update(status=status)))
    return answer["status"], body


def publish(claim: Claim, *, editor: Any, fact_checker: Any, rating: str = "false") -> None:
    services.claim_triage(claim=claim, actor=editor)
    services.claim_assign(claim=claim, actor=editor, assignee=fact_checker)
    services.evidence_add(
        claim=claim, actor=fact_checker, url=f"https://records.example.org/{claim.pk}", stance="refutes"
    )
    verdict = services.verdict_draft(
        claim=claim, author=fact_checker, rating=default_rating(rating), summary="Checked.", explanation="Records."
    )
    services.verdict_submit(verdict=verdict, actor=fact_checker)
    services.verdict_approve(verdict=verdict, approver=editor)
    services.verdict_publish(verdict=verdict, actor=editor)


@pytest.fixture
def claims(editor, fact_checker) -> list[Claim]:
    """Three published claims (one with a chain and values, one corrected: two versions, one with a line separator
    that JSON renderers escape differently) and an unpublished one."""
    harbour = services.claim_create(
        actor=editor, statement="Over a thousand ships used the harbour in 2023.", kind="quantity", tags=["port"]
    )
    daily = SourceFactory(name="Daily")
    services.attribution_chain_set(
        claim=harbour,
        appearance=AppearanceFactory(publisher=daily),
        hops=[
            services.Hop(source=daily, relation=HopRelation.CITES),
            services.Hop(source=SourceFactory(name="Harbour master"), relation=HopRelation.PUBLISHES),
        ],
        actor=editor,
    )
    services.claim_values_set(
        claim=harbour,
        values=[
            {
                "kind": ClaimValue.Kind.QUANTITY,
                "expression": "over a thousand",
                "quantity": NumericRange(Decimal(1000), None, "()"),
                "qualifier": "exact",
                "unit": "ships",
            }
        ],
        actor=editor,
    )
    publish(harbour, editor=editor, fact_checker=fact_checker)
    corrected = services.claim_create(actor=editor, statement="Bread costs twice what it did.")
    publish(corrected, editor=editor, fact_checker=fact_checker, rating="true")
    correction = services.claim_reopen(
        claim=corrected, actor=editor, correction_kind=CorrectionKind.UPDATE, correction_note="New figures."
    )
    services.verdict_approve(verdict=correction, approver=EditorFactory())
    services.verdict_publish(verdict=correction, actor=editor)
    odd = services.claim_create(actor=editor, statement="Line\u2028separator, «quotes» and ünïcode.")
    publish(odd, editor=editor, fact_checker=fact_checker)
    unpublished = services.claim_create(actor=editor, statement="Still being checked.")
    return [harbour, corrected, odd, unpublished]


def test_it_serves_the_apps_first_list_page_byte_for_byte(claims):
    app = APIClient().get("/api/v1/claims/")
    status, body = call("/api/v1/claims/")

    assert (app.status_code, status) == (200, "200 OK")
    assert [claim["id"] for claim in app.json()["results"]] == [claims[2].pk, claims[1].pk, claims[0].pk]
    assert body == app.content


def test_it_pages_with_the_apps_cursors(claims):
    first = APIClient().get("/api/v1/claims/", {"page_size": 2})
    assert call("/api/v1/claims/", "page_size=2")[1] == first.content
    following = first.json()["next"].split("?", 1)[1]
    second = APIClient().get(f"/api/v1/claims/?{following}")
    _status, body = call("/api/v1/claims/", following)

    assert second.json()["previous"] is not None
    assert [claim["id"] for claim in second.json()["results"]] == [claims[0].pk]
    assert body == second.content


def test_it_serves_the_apps_claim_detail_byte_for_byte(claims):
    for claim in claims[:3]:
        app = APIClient().get(f"/api/v1/claims/{claim.pk}/")
        status, body = call(f"/api/v1/claims/{claim.pk}/")

        assert (app.status_code, status) == (200, "200 OK")
        assert body == app.content
    assert len(APIClient().get(f"/api/v1/claims/{claims[1].pk}/").json()["verdicts"]) == 2
    assert b"\\u2028" in call(f"/api/v1/claims/{claims[2].pk}/")[1]


def test_it_answers_404_for_an_unpublished_claim_like_the_app(claims):
    assert APIClient().get(f"/api/v1/claims/{claims[3].pk}/").status_code == 404
    assert call(f"/api/v1/claims/{claims[3].pk}/")[0] == "404 Not Found"


@pytest.fixture
def ships(claims, editor, fact_checker) -> list[Claim]:
    """Claims about ships besides the harbour's, so that a search has several matches of different ranks."""
    more = []
    for statement in (
        "Ships, ships and more ships: the harbour doubled its ships.",
        "Two ships collided near the coast.",
        "A harbour tax was raised on ships.",
    ):
        claim = services.claim_create(actor=editor, statement=statement)
        publish(claim, editor=editor, fact_checker=fact_checker)
        more.append(claim)
    # A rewording not yet published is not searched: readers search the claim as approved.
    services.claim_update(claim=claims[1], actor=editor, statement="Bread and ships cost twice what they did.")
    return more


def test_it_serves_the_apps_search_byte_for_byte(ships):
    app = APIClient().get("/api/v1/claims/", {"q": "ships"})
    status, body = call("/api/v1/claims/", "q=ships")

    assert (app.status_code, status) == (200, "200 OK")
    assert len(app.json()["results"]) == 4
    assert body == app.content


def test_it_pages_a_search_through_the_apps_next_links(ships):
    first = APIClient().get("/api/v1/claims/", {"q": "ships", "page_size": 1})
    assert call("/api/v1/claims/", "q=ships&page_size=1")[1] == first.content
    seen, page = [], first.json()
    while page["next"]:
        seen += [claim["id"] for claim in page["results"]]
        query = page["next"].split("?", 1)[1]
        app = APIClient().get(f"/api/v1/claims/?{query}")
        assert call("/api/v1/claims/", query)[1] == app.content
        page = app.json()
    seen += [claim["id"] for claim in page["results"]]

    assert page["previous"] is not None
    previous = page["previous"].split("?", 1)[1]
    assert call("/api/v1/claims/", previous)[1] == APIClient().get(f"/api/v1/claims/?{previous}").content
    assert len(seen) == len(set(seen)) == 4


def test_it_searches_two_words_like_the_app(ships):
    app = APIClient().get("/api/v1/claims/", {"q": "harbour ships"})
    _status, body = call("/api/v1/claims/", "q=harbour+ships")

    assert len(app.json()["results"]) == 3
    assert body == app.content


def test_it_answers_a_search_without_match_like_the_app(ships):
    app = APIClient().get("/api/v1/claims/", {"q": "zeppelin"})
    status, body = call("/api/v1/claims/", "q=zeppelin")

    assert app.json()["results"] == []
    assert (status, body) == ("200 OK", app.content)


def test_it_caps_a_search_at_the_apps_candidates(ships, monkeypatch):
    # The most recently published matches only: with a cap of two, the two ships claims published last.
    monkeypatch.setattr("claims.querysets.SEARCH_CANDIDATES", 2)
    monkeypatch.setattr(
        baseline_wsgi,
        "SEARCH_SQL",
        baseline_wsgi.SEARCH_SQL.replace(f"LIMIT {baseline_wsgi.SEARCH_CANDIDATES}", "LIMIT 2"),
    )
    app = APIClient().get("/api/v1/claims/", {"q": "ships"})

    assert sorted(claim["id"] for claim in app.json()["results"]) == [ships[1].pk, ships[2].pk]
    assert call("/api/v1/claims/", "q=ships")[1] == app.content


def test_it_ranks_as_many_search_candidates_as_the_app():
    from claims import querysets

    assert baseline_wsgi.SEARCH_CANDIDATES == querysets.SEARCH_CANDIDATES
