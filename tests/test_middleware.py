"""NUL bytes in query strings answer 400 on every path, never reaching PostgreSQL."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/claims/claim/?language=%00",
        "/admin/claims/claim/?kind=%00",
        "/admin/sources/source/?country=%00",
        "/admin/autocomplete/?app_label=claims&model_name=claim&field_name=claimant&term=%00",
        "/admin/claims/verdict/?q=a%00b",
    ],
)
def test_admin_pages_refuse_nul_bytes_in_parameters(client, editor, path):
    client.force_login(editor)
    response = client.get(path)
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_api_answers_nul_bytes_in_parameters_with_the_envelope_naming_the_parameter(anon_client):
    response = anon_client.get("/api/v1/claims/?language=en%00")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "language", "code": "null_characters", "message": "Query parameters cannot contain NUL bytes."}
    ]


def test_the_verdict_admin_search_for_a_word_finds_nothing_without_failing(client, editor):
    client.force_login(editor)
    response = client.get("/admin/claims/verdict/?q=abc")
    assert response.status_code == 200
    assert b"0 verdicts" in response.content or b"0 results" in response.content
