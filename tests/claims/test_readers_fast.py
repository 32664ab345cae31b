"""Readers' claim list and detail are built from rows (claims.api.readers), not by the serializers: the same claims
rendered both ways must be the same bytes, and every response must be exactly what the OpenAPI schema says (every
property present, none undeclared, each of its declared type)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.generators import SchemaGenerator
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from claims.api import readers
from claims.api.serializers import FOR_READERS, ClaimDetailSerializer, ClaimListSerializer
from claims.models import Claim, CorrectionKind, Verdict
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    SourceFactory,
    claim_with_parts,
    default_rating,
    published_verdict,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claims/"
READER = AnonymousUser()


@pytest.fixture
def claims() -> dict[str, Claim]:
    """Published claims of every shape readers meet, and one they must not."""
    now = dt.datetime.now(dt.UTC)
    shapes: dict[str, Claim] = {"full": claim_with_parts(published=True, hops=3)}

    corrected = claim_with_parts(published=False, hops=1)
    published_verdict(corrected, approved_at=now - dt.timedelta(days=3), published_at=now - dt.timedelta(days=2))
    Verdict.objects.filter(claim=corrected).update(superseded_at=now - dt.timedelta(days=1))
    published_verdict(
        corrected,
        version=2,
        correction_kind=CorrectionKind.UPDATE,
        correction_note="New figures.",
        rating=default_rating("true"),
        approved_at=now - dt.timedelta(hours=2),
        published_at=now - dt.timedelta(hours=1),
    )
    shapes["corrected"] = corrected

    withdrawn = ClaimFactory(statement="A claim later withdrawn.")
    published_verdict(withdrawn, approved_at=now - dt.timedelta(days=3), published_at=now - dt.timedelta(days=2))
    Verdict.objects.filter(claim=withdrawn).update(superseded_at=now - dt.timedelta(days=1))
    published_verdict(
        withdrawn, version=2, correction_kind=CorrectionKind.VOID, rating=None, correction_note="Withdrawn."
    )
    shapes["withdrawn"] = withdrawn

    imported = ClaimFactory(statement="Line\u2028separator, «quotes» and ünïcode.", quote="“Quoted”", tags=["a", "b"])
    published_verdict(
        imported,
        publisher=SourceFactory(name="PolitiFact"),
        review_url="https://www.politifact.com/factchecks/1/",
        textual_rating="Pants on Fire!",
    )
    shapes["imported"] = imported

    bare = ClaimFactory(claimant=None, question=None, first_appearance=AppearanceFactory(), claim_date=None)
    published_verdict(bare)
    shapes["bare"] = bare

    shapes["unpublished"] = claim_with_parts(published=False)
    return shapes


def reader_request(path: str) -> Request:
    return Request(APIRequestFactory().get(path))


def render(data: Any) -> bytes:
    return JSONRenderer().render(data)


def test_the_readers_list_is_the_serializers_output_byte_for_byte(claims):
    response = APIClient().get(LIST, {"page_size": 50})

    expected_claims = Claim.objects.visible_to(READER).for_api_list(READER).order_by("-created_at", "-id")
    expected = ClaimListSerializer(
        expected_claims, many=True, context={"request": reader_request(LIST), FOR_READERS: True}
    ).data
    assert response.status_code == 200
    results = json.loads(response.content)["results"]
    assert len(results) == 5
    assert claims["unpublished"].pk not in {claim["id"] for claim in results}
    assert render(results) == render(expected)


@pytest.mark.parametrize("as_of", [None, "past"])
def test_the_readers_detail_is_the_serializers_output_byte_for_byte(claims, as_of):
    moment = None if as_of is None else dt.datetime.now(dt.UTC) - dt.timedelta(hours=36)
    compared = 0
    for name, claim in claims.items():
        path = f"{LIST}{claim.pk}/"
        response = APIClient().get(path, {} if moment is None else {"as_of": moment.isoformat()})
        shown = Claim.objects.visible_to(READER, as_of=moment).for_api_detail(READER, moment).filter(pk=claim.pk)
        if not shown.exists():
            assert response.status_code == 404, name
            continue
        context = {"request": reader_request(path), FOR_READERS: True}
        expected = ClaimDetailSerializer(shown.get(), context=context).data
        assert response.status_code == 200, name
        assert response.content == render(expected), name
        compared += 1
    # Now: all but the unpublished one. A day and a half ago: the corrected and withdrawn claims' first versions.
    assert compared == (5 if moment is None else 2)


def test_a_correction_shows_both_versions_and_a_withdrawal_no_rating(claims):
    corrected = APIClient().get(f"{LIST}{claims['corrected'].pk}/").json()
    withdrawn = APIClient().get(f"{LIST}{claims['withdrawn'].pk}/").json()

    assert [verdict["version"] for verdict in corrected["verdicts"]] == [2, 1]
    assert corrected["verdicts"][1]["superseded_at"] is not None
    assert withdrawn["current_verdict"]["rating"] is None
    assert withdrawn["verdicts"][0]["correction_kind"] == "void"


def test_the_readers_detail_sends_an_etag_and_answers_304_to_it(claims):
    path = f"{LIST}{claims['full'].pk}/"
    first = APIClient().get(path)
    again = APIClient().get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"].startswith('"')
    assert again.status_code == 304
    assert APIClient().get(path, {"as_of": dt.datetime.now(dt.UTC).isoformat()}).get("ETag") is None


@pytest.mark.parametrize("lookup", ["abc", "99999999999999999999", "0"])
def test_a_reader_asking_for_no_claim_gets_404(claims, lookup):
    assert APIClient().get(f"{LIST}{lookup}/").status_code == 404


# The schema ----------------------------------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def conforms(value: Any, schema: dict[str, Any], components: dict[str, Any], where: str = "$") -> list[str]:
    """Where `value` is not exactly what `schema` describes: a missing or undeclared property, a null where none is
    allowed, a value of another type or outside the enum. Empty when it conforms."""
    schema = _resolve(schema, components)
    if value is None:
        nullable = schema.get("nullable") or any(
            _resolve(part, components).get("nullable") or _resolve(part, components).get("enum") == [None]
            for part in schema.get("oneOf", []) + schema.get("anyOf", [])
        )
        return [] if nullable else [f"{where}: null, not nullable"]
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            options = [conforms(value, part, components, where) for part in schema[combinator]]
            return [] if any(not problems for problems in options) else [f"{where}: matches no {combinator}"]
    if "allOf" in schema:
        return [problem for part in schema["allOf"] for problem in conforms(value, part, components, where)]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in {schema['enum']}"]
    kind = schema.get("type")
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
    }
    if kind is not None and not checks[kind](value):
        return [f"{where}: {type(value).__name__}, not {kind}"]
    problems: list[str] = []
    if kind == "string" and schema.get("format") == "date-time":
        dt.datetime.fromisoformat(value)
    if kind == "object" and "properties" in schema:
        declared, present = set(schema["properties"]), set(value)
        problems += [f"{where}.{name}: missing" for name in sorted(declared - present)]
        problems += [f"{where}.{name}: not in the schema" for name in sorted(present - declared)]
        for name in sorted(declared & present):
            problems += conforms(value[name], schema["properties"][name], components, f"{where}.{name}")
    if kind == "array":
        for index, item in enumerate(value):
            problems += conforms(item, schema.get("items", {}), components, f"{where}[{index}]")
    return problems


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _response_schema(openapi: dict[str, Any], path: str) -> dict[str, Any]:
    return openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


@pytest.mark.parametrize("client_name", ["anon_client", "outsider_client", "editor_client"])
def test_every_list_and_detail_response_is_exactly_what_the_schema_describes(request, claims, openapi, client_name):
    client = request.getfixturevalue(client_name)
    components = openapi["components"]["schemas"]
    page = client.get(LIST).json()
    assert conforms(page, _response_schema(openapi, "/api/v1/claims/"), components) == []
    assert len(page["results"]) >= 5
    for claim in claims.values():
        response = client.get(f"{LIST}{claim.pk}/")
        if response.status_code == 404:
            continue
        assert conforms(response.json(), _response_schema(openapi, "/api/v1/claims/{id}/"), components) == []


def test_the_schema_check_catches_a_missing_an_undeclared_and_a_mistyped_property(claims, openapi):
    components = openapi["components"]["schemas"]
    schema = _response_schema(openapi, "/api/v1/claims/{id}/")
    good = APIClient().get(f"{LIST}{claims['full'].pk}/").json()

    missing = {key: value for key, value in good.items() if key != "statement"}
    undeclared = {**good, "secret": 1}
    mistyped = {**good, "current_verdict": {**good["current_verdict"], "version": "2"}}
    null = {**good, "id": None}

    assert conforms(missing, schema, components) == ["$.statement: missing"]
    assert conforms(undeclared, schema, components) == ["$.secret: not in the schema"]
    assert conforms(mistyped, schema, components) == ["$.current_verdict.version: str, not integer"]
    assert conforms(null, schema, components) == ["$.id: null, not nullable"]


def test_the_default_list_written_in_sql_pages_like_the_orm_built_one(claims):
    # ?status=published changes nothing for readers but takes the ORM-built query (key_rows and page_rows).
    from claims.api.views import ClaimViewSet

    assert (*ClaimViewSet.ordering, "-id")[:2] == readers.DEFAULT_KEYS
    pages: dict[str, list[bytes]] = {}
    for name, params in (("sql", {"page_size": 2}), ("orm", {"page_size": 2, "status": "published"})):
        url: str | None = LIST
        query: dict[str, Any] = params
        pages[name] = []
        while url:
            body = APIClient().get(url, query).json()
            pages[name].append(render(body["results"]))
            url, query = body["next"], {}
    assert len(pages["sql"]) == 3
    assert pages["sql"] == pages["orm"]
    # Backwards from the last page, through `previous`, gives the same pages.
    last = APIClient().get(LIST, {"page_size": 2})
    for _ in range(2):
        last = APIClient().get(last.json()["next"])
    back = APIClient().get(last.json()["previous"]).json()
    assert render(back["results"]) == pages["sql"][1]


def test_a_filtered_readers_list_is_the_serializers_output_byte_for_byte(claims):
    rating = Verdict.objects.get(claim=claims["full"]).rating
    response = APIClient().get(LIST, {"rating": rating.slug})

    expected_claims = (
        Claim.objects.visible_to(READER).rated(slug=rating.slug).for_api_list(READER).order_by("-created_at", "-id")
    )
    expected = ClaimListSerializer(
        expected_claims, many=True, context={"request": reader_request(LIST), FOR_READERS: True}
    ).data
    results = json.loads(response.content)["results"]
    assert claims["full"].pk in {claim["id"] for claim in results}
    assert render(results) == render(expected)


def test_a_filtered_or_searched_readers_page_takes_a_fixed_number_of_queries_however_many_claims(
    claims, django_assert_num_queries
):
    # Filtered: 1. the page's keys (ids, cursor keys), the filters applied to the versions shown; 2. those claims'
    # rows, by id, with the list's keys of the claim as approved.
    # Searched, with fewer matches than are ranked: before those two, the candidates among the newest versions
    # (VerdictQuerySet.newest_matching), then, being too few, among all of them.
    for params, expected in (({"kind": "quantity"}, 2), ({"q": "claim"}, 4)):
        with django_assert_num_queries(expected):
            assert APIClient().get(LIST, params).status_code == 200
    for _ in range(5):
        claim_with_parts(published=True, statement="Another claim about the harbour.")
    with django_assert_num_queries(4):
        assert len(APIClient().get(LIST, {"q": "claim"}).json()["results"]) >= 5


def published_one_a_day(statement: str, count: int, **fields: Any) -> list[Verdict]:
    """`count` published claims (statement formatted with n), the first published nine days ago, one a day after."""
    now = dt.datetime.now(dt.UTC)
    return [
        published_verdict(
            ClaimFactory(statement=statement.format(n=n), **fields),
            approved_at=now - dt.timedelta(days=10 - n),
            published_at=now - dt.timedelta(days=9 - n),
        )
        for n in range(count)
    ]


def test_a_search_with_more_matches_than_it_ranks_ranks_the_most_recently_published(claims, monkeypatch):
    from claims import querysets

    harbour = [verdict.claim for verdict in published_one_a_day("The harbour handled {n} ships.", 3)]
    everything = [claim["id"] for claim in APIClient().get(LIST, {"q": "harbour ships"}).json()["results"]]
    monkeypatch.setattr(querysets, "SEARCH_CANDIDATES", 2)
    capped = [claim["id"] for claim in APIClient().get(LIST, {"q": "harbour ships"}).json()["results"]]

    assert sorted(everything) == sorted(claim.pk for claim in harbour)
    assert sorted(capped) == sorted(claim.pk for claim in harbour[1:])  # the first published is left out


def test_the_newest_matches_are_found_within_the_window_or_beyond_it(claims, monkeypatch):
    from claims import querysets

    harbour = published_one_a_day("The harbour handled {n} ships.", 3)
    newest_first = [verdict.pk for verdict in reversed(harbour)]
    # Enough matches among the newest versions: the window's walk alone finds them.
    assert Verdict.objects.newest_matching("harbour", 2) == newest_first[:2]
    # Too few in the window (two versions wide): the full-text index finds the rest.
    monkeypatch.setattr(querysets, "SEARCH_WINDOW", 2)
    assert Verdict.objects.newest_matching("harbour", 3) == newest_first
    assert Verdict.objects.newest_matching("nowhere-to-be-found", 3) == []


def test_a_search_narrowed_by_a_filter_ranks_the_newest_matches_among_the_filtered(claims, monkeypatch):
    from claims import querysets

    quantity = [verdict.claim for verdict in published_one_a_day("The harbour handled {n} ships.", 2, kind="quantity")]
    for n in range(3):  # newer matches of another kind, which would fill the candidates if the filter were not heeded
        published_verdict(ClaimFactory(statement=f"The harbour closed {n} times.", kind="other"))
    monkeypatch.setattr(querysets, "SEARCH_CANDIDATES", 2)

    found = APIClient().get(LIST, {"q": "harbour", "kind": "quantity"}).json()["results"]

    assert sorted(claim["id"] for claim in found) == sorted(claim.pk for claim in quantity)


def test_long_and_many_worded_claims_publish_and_are_found_by_the_newest_matches(claims):
    # A B-tree entry holds 2,704 bytes: the newest-first search index takes documents of short claims only
    # (SHORT_DOCUMENT_CHARACTERS), long ones have a full-text index of their own; publishing never fails on either.
    from claims.querysets import SHORT_DOCUMENT_CHARACTERS

    letters = "абвгдежзиклмнопрстуфхцчшщэюя"
    distinct = " ".join(a + b for a in letters for b in letters)  # short distinct words in a two-byte script
    short = published_verdict(ClaimFactory(statement=("Zanzibar " + distinct)[:SHORT_DOCUMENT_CHARACTERS]))
    long = published_verdict(ClaimFactory(statement="Zanzibar ferries.", quote=distinct * 20))

    assert len(long.claim.quote) > 20_000
    assert sorted(Verdict.objects.newest_matching("zanzibar", 10)) == sorted([short.pk, long.pk])
    assert Verdict.objects.newest_matching("zanzibar", 1) == [long.pk]  # published last
    found = APIClient().get(LIST, {"q": "zanzibar"}).json()["results"]
    assert {claim["id"] for claim in found} == {short.claim_id, long.claim_id}
