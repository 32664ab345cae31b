"""Bad input of every kind gets a 4xx in the one error envelope, naming the field or parameter; never a 500."""

from __future__ import annotations

import json
from base64 import urlsafe_b64encode

import pytest

from claims.models import Claim
from tests.factories import AppearanceFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"


def cursor(payload: object) -> str:
    return urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def assert_envelope(response, status: int, field: str | None, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["status"] == status
    assert field in [error["field"] for error in body["errors"]], body
    if code is not None:
        assert code in [error["code"] for error in body["errors"]], body
    return body


# Request bodies ---------------------------------------------------------------------------------------------


def test_malformed_json_is_a_400(editor_client):
    response = editor_client.post(CLAIMS, '{"statement": "unterminated', content_type="application/json")

    body = assert_envelope(response, 400, None, "parse_error")
    assert body["code"] == "parse_error"
    assert not Claim.objects.exists()


@pytest.mark.parametrize("payload", ["[]", '"a claim"', "null", "42"])
def test_a_body_that_is_not_an_object_is_a_400(editor_client, payload):
    response = editor_client.post(CLAIMS, payload, content_type="application/json")

    assert_envelope(response, 400, None)


def test_a_form_encoded_body_is_a_415(editor_client):
    response = editor_client.post(CLAIMS, {"statement": "A claim."})

    body = assert_envelope(response, 415, None, "unsupported_media_type")
    assert body["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"statement": "A\u0000claim."}, "statement"),
        ({"statement": "A claim.", "quote": "\u0000"}, "quote"),
        ({"statement": "A claim.", "tags": ["ok", "bad\u0000tag"]}, "tags.1"),
        (
            {"statement": "A claim.", "values": [{"kind": "quantity", "expression": "te\u0000n", "low": "10"}]},
            "values.0.expression",
        ),
    ],
)
def test_nul_bytes_in_body_strings_are_a_400(editor_client, payload, field):
    response = editor_client.post(CLAIMS, payload, format="json")

    assert_envelope(response, 400, field, "null_characters_not_allowed")
    assert not Claim.objects.exists()


def test_a_nul_byte_in_a_hop_excerpt_is_a_400_naming_the_hop(editor_client):
    source = SourceFactory()
    hops = [{"source": source.pk, "relation": "publishes", "quote_excerpt": "x\u0000"}]

    response = editor_client.post(CLAIMS, {"statement": "A claim.", "attributions": [{"hops": hops}]}, format="json")

    assert_envelope(response, 400, "attributions.0.hops.0.quote_excerpt")


def test_a_nul_byte_in_a_source_name_is_a_400(editor_client):
    response = editor_client.post("/api/v1/sources/", {"name": "TA\u0000SS", "kind": "news_agency"}, format="json")

    assert_envelope(response, 400, "name")


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        (CLAIMS, {"statement": "x" * 2001}, "statement"),
        (CLAIMS, {"statement": "A claim.", "quote": "x" * 20_001}, "quote"),
        (CLAIMS, {"statement": "A claim.", "tags": ["x" * 65]}, "tags.0"),
        (CLAIMS, {"statement": "A claim.", "tags": [f"t{i}" for i in range(51)]}, "tags"),
        (CLAIMS, {"statement": "A claim.", "language": "en-" + "x" * 20}, "language"),
        ("/api/v1/sources/", {"name": "x" * 201, "kind": "other"}, "name"),
        ("/api/v1/questions/", {"text": "x" * 501, "kind": "date"}, "text"),
        ("/api/v1/appearances/", {"url": "https://a.example/" + "x" * 2000}, "url"),
    ],
)
def test_over_long_strings_and_lists_are_a_400(editor_client, url, payload, field):
    response = editor_client.post(url, payload, format="json")

    assert_envelope(response, 400, field)


def test_too_many_nested_items_are_a_400(editor_client):
    values = [{"kind": "quantity", "expression": "one", "low": "1"}] * 101

    response = editor_client.post(CLAIMS, {"statement": "A claim.", "values": values}, format="json")

    assert_envelope(response, 400, "values", "max_length")


@pytest.mark.parametrize("claim_date", ["2024-02-30", "29/02/2024", "yesterday", 20240229])
def test_a_bad_date_in_the_body_is_a_400(editor_client, claim_date):
    response = editor_client.post(CLAIMS, {"statement": "A claim.", "claim_date": claim_date}, format="json")

    assert_envelope(response, 400, "claim_date", "invalid")


@pytest.mark.parametrize(("field", "value"), [("kind", "number"), ("kind", ["quantity"])])
def test_an_unknown_choice_in_the_body_is_a_400(editor_client, field, value):
    response = editor_client.post(CLAIMS, {"statement": "A claim.", field: value}, format="json")

    assert_envelope(response, 400, field)


def test_an_unknown_hop_relation_is_a_400(editor_client):
    source = SourceFactory()

    response = editor_client.post(
        CLAIMS,
        {"statement": "A claim.", "attributions": [{"hops": [{"source": source.pk, "relation": "says"}]}]},
        format="json",
    )

    assert_envelope(response, 400, "attributions.0.hops.0.relation", "invalid_choice")


@pytest.mark.parametrize(
    ("claimant", "code"),
    [
        ("abc", "incorrect_type"),
        (1.5, "incorrect_type"),
        (True, "incorrect_type"),
        ({"id": 1}, "incorrect_type"),
        (10**30, "does_not_exist"),
        (-1, "does_not_exist"),
    ],
)
def test_a_bad_id_in_the_body_is_a_400(editor_client, claimant, code):
    response = editor_client.post(CLAIMS, {"statement": "A claim.", "claimant": claimant}, format="json")

    assert_envelope(response, 400, "claimant", code)
    assert not Claim.objects.exists()


def test_a_bad_id_in_a_nested_item_is_a_400(editor_client):
    page = AppearanceFactory()

    response = editor_client.post(
        CLAIMS,
        {"statement": "A claim.", "evidence": [{"appearance": "first", "stance": "refutes"}, {"appearance": page.pk}]},
        format="json",
    )

    body = assert_envelope(response, 400, "evidence.0.appearance", "incorrect_type")
    assert "evidence.1.stance" in [error["field"] for error in body["errors"]]


@pytest.mark.parametrize("number", ["1e400", "-1e400", "Infinity", "1" * 400])
def test_an_absurd_number_is_a_400_not_a_database_error(editor_client, number):
    value = {"kind": "quantity", "expression": "many", "low": number}

    response = editor_client.post(CLAIMS, {"statement": "A claim.", "values": [value]}, format="json")

    assert_envelope(response, 400, "values.0.low")


# URLs and query parameters -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["abc", "1.5", "-1", "99999999999999999999999999", "%00"])
def test_a_non_integer_or_unknown_id_in_the_url_is_a_404(anon_client, path):
    response = anon_client.get(f"{CLAIMS}{path}/")

    assert_envelope(response, 404, None, "not_found")


def test_an_unknown_api_url_is_a_404_in_the_envelope(anon_client):
    response = anon_client.get("/api/v1/nothing-here/")

    assert_envelope(response, 404, None, "not_found")


def test_an_unknown_method_is_a_405_in_the_envelope(editor_client):
    claim = ClaimFactory()

    response = editor_client.put(f"{CLAIMS}{claim.pk}/", {"statement": "x"}, format="json")

    assert_envelope(response, 405, None, "method_not_allowed")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"q": "moscow\x00"}, "q"),
        ({"language": "\x00"}, "language"),
        ({"tag": "a\x00"}, "tag"),
        ({"claimant": "1\x00"}, "claimant"),
        ({"claim_date_after": "2024-01-01\x00"}, "claim_date_after"),
        ({"status": "new\x00"}, "status"),
        ({"ordering": "id\x00"}, "ordering"),
        ({"cursor": "\x00"}, "cursor"),
        ({"page_size": "1\x00"}, "page_size"),
    ],
)
def test_nul_bytes_in_query_parameters_are_a_400(anon_client, query, field):
    response = anon_client.get(CLAIMS, query)

    assert_envelope(response, 400, field)


def test_a_nul_byte_in_an_appearance_url_filter_is_a_400(anon_client):
    response = anon_client.get("/api/v1/appearances/", {"url": "https://a.example/\x00"})

    assert_envelope(response, 400, "url")


@pytest.mark.parametrize("size", ["-1", "0", "abc", "1.5", ""])
def test_a_page_size_that_is_not_a_positive_whole_number_is_a_400(anon_client, size):
    response = anon_client.get(CLAIMS, {"page_size": size})

    assert_envelope(response, 400, "page_size", "invalid")


def test_a_page_size_above_the_maximum_is_capped(editor_client):
    for _ in range(3):
        ClaimFactory()

    response = editor_client.get(CLAIMS, {"page_size": "100000"})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "!!!!",
        "=",
        "x" * 5000,
        urlsafe_b64encode(b"\xff\xfe").decode(),
        cursor("a string"),
        cursor({"k": ["-created_at", "-id"]}),
        cursor({"k": ["-created_at", "-id"], "v": "2024-01-01"}),
        cursor({"k": ["-created_at", "-id"], "v": ["2024-01-01T00:00:00Z"]}),
        cursor({"k": ["-created_at", "-id"], "v": ["yesterday", 1]}),
        cursor({"k": ["-created_at", "-id"], "v": ["2024-01-01T00:00:00", 1]}),
        cursor({"k": ["-created_at", "-id"], "v": ["2024-01-01T00:00:00Z", "one"]}),
        cursor({"k": ["-created_at", "-id"], "v": ["2024-01-01T00:00:00Z", None]}),
        cursor({"k": ["-created_at", "-id"], "v": [{"a": 1}, 1]}),
        cursor({"k": ["-created_at", "-id"], "v": [True, 1]}),
        cursor({"k": ["claim_date", "id"], "v": ["2024-01-01", 1]}),
        urlsafe_b64encode(b"[" * 1500 + b"]" * 1500).decode(),
    ],
)
def test_a_garbage_cursor_is_a_400_naming_the_cursor(editor_client, value):
    ClaimFactory()

    response = editor_client.get(CLAIMS, {"cursor": value})

    assert_envelope(response, 400, "cursor", "invalid")


def test_a_well_formed_cursor_past_the_end_gives_an_empty_page(editor_client):
    ClaimFactory()

    response = editor_client.get(
        CLAIMS, {"cursor": cursor({"k": ["-created_at", "-id"], "v": ["2000-01-01T00:00:00Z", 1]})}
    )

    assert response.status_code == 200
    assert response.json() == {"next": None, "previous": None, "results": []}


@pytest.mark.parametrize("ordering", ["statement", "--id", "-", "id,rank", "claimant__name"])
def test_an_unknown_ordering_is_a_400_naming_it(anon_client, ordering):
    response = anon_client.get(CLAIMS, {"ordering": ordering})

    assert_envelope(response, 400, "ordering", "invalid")


def test_an_empty_ordering_means_the_default_one(editor_client):
    older, newer = ClaimFactory(), ClaimFactory()

    response = editor_client.get(CLAIMS, {"ordering": ""})

    assert [row["id"] for row in response.json()["results"]] == [newer.pk, older.pk]


@pytest.mark.parametrize("q", ["", "   ", '"', "!!!", "a & | b", "-", "or", "'; drop table claims_claim; --"])
def test_odd_search_text_never_breaks_the_search(anon_client, q):
    response = anon_client.get(CLAIMS, {"q": q})

    assert response.status_code == 200
    assert response.json()["results"] == []
