"""CSV export of claims: ?format=csv on the claims list and the admin action, streamed, as the list shows claims."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from claims import csvexport
from claims.models import Claim, ClaimStatus
from tests.factories import ClaimFactory, SourceFactory, claim_with_parts, default_rating, published_verdict

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claims/"


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def published_then_edited() -> Claim:
    """A published claim whose statement the desk changed after the approval."""
    claim = claim_with_parts(published=False, statement="Ten thousand came.")
    publisher = SourceFactory(name="PolitiFact")
    published_verdict(
        claim,
        rating=default_rating("false"),
        summary="Fewer came.",
        publisher=publisher,
        review_url="https://p.example/r",
    )
    Claim.objects.filter(pk=claim.pk).update(statement="Ten thousand came, the desk now says.")
    return claim


def test_readers_get_published_claims_as_approved_with_their_verdict(anon_client, published_then_edited):
    ClaimFactory(statement="An unpublished claim.")

    rows = read_csv(anon_client.get(LIST, {"format": "csv"}))

    assert [r["statement"] for r in rows] == ["Ten thousand came."]
    [row] = rows
    assert list(row) == list(csvexport.COLUMNS)
    assert row["id"] == str(published_then_edited.pk)
    assert row["url"].endswith(f"/api/v1/claims/{published_then_edited.pk}/")
    assert row["claimant"] == published_then_edited.claimant.name
    assert (row["status"], row["rating"], row["rating_label"], row["bucket"]) == (
        "published",
        "false",
        "False",
        "false",
    )
    assert (row["summary"], row["publisher"], row["review_url"]) == ("Fewer came.", "PolitiFact", "https://p.example/r")
    assert row["published_at"]


def test_the_desk_gets_every_claim_live(editor_client, published_then_edited):
    ClaimFactory(statement="An unpublished claim.", tags=["a", "b"])

    rows = read_csv(editor_client.get(LIST, {"format": "csv"}))

    assert {r["statement"]: r["status"] for r in rows} == {
        "Ten thousand came, the desk now says.": "published",
        "An unpublished claim.": "new",
    }
    unpublished = next(r for r in rows if r["status"] == "new")
    assert (unpublished["tags"], unpublished["rating"], unpublished["publisher"]) == ("a,b", "", "")


def test_it_exports_the_whole_filtered_result_unpaginated(editor_client):
    for _ in range(3):
        ClaimFactory(status=ClaimStatus.TRIAGED)
    ClaimFactory()

    rows = read_csv(editor_client.get(LIST, {"format": "csv", "status": "triaged", "page_size": 1}))

    assert len(rows) == 3


def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted(editor_client):
    ClaimFactory(statement='=HYPERLINK("http://evil.example")', tags=["-x"])

    [row] = read_csv(editor_client.get(LIST, {"format": "csv"}))

    assert row["statement"] == '\'=HYPERLINK("http://evil.example")'
    assert row["tags"] == "'-x"
    assert [csvexport.safe_cell(v) for v in ("+1", "@a", "a=b", None, 5)] == ["'+1", "'@a", "a=b", "", "5"]


def test_json_stays_the_default_and_an_unknown_format_is_a_400_naming_it(anon_client):
    assert "results" in anon_client.get(LIST, {"format": "json"}).json()
    assert "results" in anon_client.get(LIST).json()

    response = anon_client.get(LIST, {"format": "xml"})

    assert response.status_code == 400
    assert "format" in str(response.json())


def test_it_takes_a_fixed_number_of_queries_per_chunk(anon_client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(csvexport, "CHUNK_SIZE", 2)
    for _ in range(4):
        published_verdict(claim_with_parts(published=False))

    # 1. the claims (a server-side cursor: its later fetches are not new queries)
    # then per chunk of 2: 1. the current verdicts, joined to rating, scale and publisher
    with django_assert_num_queries(1 + 2):
        assert len(read_csv(anon_client.get(LIST, {"format": "csv"}))) == 4
    for _ in range(4):
        published_verdict(claim_with_parts(published=False))
    with django_assert_num_queries(1 + 4):
        assert len(read_csv(anon_client.get(LIST, {"format": "csv"}))) == 8


def test_the_admin_action_exports_the_selected_claims(client, admin_user, published_then_edited):
    ClaimFactory(statement="Not selected.")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "export_csv", "_selected_action": [published_then_edited.pk]},
    )

    assert response["Content-Disposition"] == 'attachment; filename="claims.csv"'
    [row] = read_csv(response)
    assert (row["statement"], row["rating"]) == ("Ten thousand came, the desk now says.", "false")
