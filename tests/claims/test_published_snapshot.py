"""Readers see what a second person approved: the claim as it was when its verdict version was approved.

After publication the desk may change the claim (its statement, hops, values, evidence, while a correction is
drafted or not): the desk sees the change at once, readers only once a version that includes it is approved and
published. A published version, and the claim it carries, is never rewritten, by any path.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import services
from claims.api.public import PUBLIC_FIELDS
from claims.models import Claim, ClaimStatus, Verdict
from claims.snapshot import claim_snapshot
from factcheck.preconditions import etag_for
from tests.factories import (
    EditorFactory,
    SourceFactory,
    StaffFactory,
    claim_with_parts,
    draft_in_review,
    published_verdict,
)

pytestmark = pytest.mark.django_db

READERS = ["anon_client", "outsider_client"]
SECRET_URL = "https://secret.example/leak"
SECRET_NOTE = "draft note"


def url(claim: Claim, verb: str = "") -> str:
    return f"/api/v1/claims/{claim.pk}/" + (f"{verb}/" if verb else "")


def if_match(claim: Claim) -> dict[str, str]:
    return {"HTTP_IF_MATCH": etag_for(Claim.objects.get(pk=claim.pk))}


def step(client, claim: Claim, verb: str, body: dict | None = None):
    response = client.post(url(claim, verb), body or {}, format="json", **if_match(claim))
    assert response.status_code == 200, response.json()
    return response


def patch(client, claim: Claim, body: dict):
    response = client.patch(url(claim), body, format="json", **if_match(claim))
    assert response.status_code == 200, response.json()
    return response


def listed(client, claim: Claim, **params) -> dict | None:
    rows = client.get("/api/v1/claims/", params).json()["results"]
    return next((row for row in rows if row["id"] == claim.pk), None)


@pytest.fixture
def second_editor():
    return EditorFactory(username="sam-second-editor")


@pytest.fixture
def second_editor_client(second_editor):
    from tests.conftest import DeskClient

    client = DeskClient()
    client.force_authenticate(second_editor)
    return client


@pytest.fixture
def published(editor_client, fact_checker_client, fact_checker) -> Claim:
    """A claim taken through the whole workflow over the API: researched, drafted, approved and published."""
    claim = claim_with_parts(published=False, statement="Delegates from 14 organisations attended the talks.")
    step(editor_client, claim, "triage")
    step(editor_client, claim, "assign", {"assignee": fact_checker.username})
    step(fact_checker_client, claim, "draft", {"rating": "false", "explanation": "The register lists 12."})
    step(fact_checker_client, claim, "submit")
    step(editor_client, claim, "approve")
    step(editor_client, claim, "publish")
    return claim


@pytest.fixture
def reopened(published, editor_client) -> Claim:
    step(
        editor_client,
        published,
        "reopen",
        {"correction_kind": "update", "correction_note": "A second register lists 15."},
    )
    return published


# What readers see after publication --------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", READERS)
def test_a_statement_changed_after_publication_reaches_the_desk_but_not_readers(
    request, client_name, published, editor_client
):
    patch(editor_client, published, {"statement": "Delegates from 40 organisations attended the talks."})
    reader = request.getfixturevalue(client_name)

    assert reader.get(url(published)).json()["statement"] == "Delegates from 14 organisations attended the talks."
    assert listed(reader, published)["statement"] == "Delegates from 14 organisations attended the talks."
    assert (
        editor_client.get(url(published)).json()["statement"] == "Delegates from 40 organisations attended the talks."
    )
    assert listed(editor_client, published)["statement"] == "Delegates from 40 organisations attended the talks."


@pytest.mark.parametrize("client_name", READERS)
def test_hops_values_and_evidence_changed_after_publication_reach_the_desk_but_not_readers(
    request, client_name, published, editor_client
):
    reader = request.getfixturevalue(client_name)
    before = reader.get(url(published)).json()
    relay, speaker = SourceFactory(), SourceFactory()
    patch(
        editor_client,
        published,
        {
            "claimant": speaker.pk,
            "attributions": [
                {
                    "appearance": published.first_appearance_id,
                    "hops": [
                        {"source": relay.pk, "relation": "cites"},
                        {"source": speaker.pk, "relation": "publishes"},
                    ],
                }
            ],
            "values": [{"kind": "quantity", "expression": "forty", "low": "40", "high": "40", "high_inclusive": True}],
            "evidence": [{"url": "https://records.example.org/later", "stance": "context", "note": "Found later."}],
        },
    )

    after = reader.get(url(published)).json()
    for field in PUBLIC_FIELDS:
        assert after[field] == before[field], field
    desk = editor_client.get(url(published)).json()
    assert desk["claimant"]["id"] == speaker.pk
    assert [hop["source"]["id"] for hop in desk["attributions"][0]["hops"]] == [relay.pk, speaker.pk]
    assert [value["expression"] for value in desk["values"]] == ["forty"]
    assert "https://records.example.org/later" in [evidence["url"] for evidence in desk["evidence"]]


def test_readers_get_the_same_shapes_as_the_desk(published, anon_client, editor_client):
    # Nothing changed since the approval: the approved claim and the live one render alike, field for field.
    reader, desk = anon_client.get(url(published)).json(), editor_client.get(url(published)).json()
    assert set(reader) == set(desk)
    for field in set(desk) - {"status", "updated_at"}:
        assert reader[field] == desk[field], field


def test_readers_are_told_the_claim_changed_when_a_version_was_published(published, anon_client, editor_client):
    shown = Verdict.objects.current().get(claim=published)
    patch(editor_client, published, {"quote": "A later quote."})

    body = anon_client.get(url(published)).json()
    assert dt.datetime.fromisoformat(body["updated_at"]) == shown.published_at
    assert dt.datetime.fromisoformat(body["current_verdict"]["published_at"]) == shown.published_at


# The leak found in review --------------------------------------------------------------------------------------------


def _reader_responses(client, claim: Claim, *, before: dt.datetime) -> list[str]:
    """Every reader response that shows something of the claim."""
    return [
        client.get("/api/v1/claims/").content.decode(),
        client.get(url(claim)).content.decode(),
        client.get(url(claim), {"as_of": before.isoformat()}).content.decode(),
        client.get(url(claim, "verdicts")).content.decode(),
        client.get("/api/v1/verdicts/").content.decode(),
        client.get("/api/v1/claims/", {"q": "organisations"}).content.decode(),
        client.get("/api/v1/claims/", {"q": "secret"}).content.decode(),
    ]


@pytest.mark.parametrize("client_name", READERS)
def test_evidence_added_while_a_correction_is_drafted_reaches_no_reader(request, client_name, reopened, editor_client):
    now = timezone.now()
    patch(editor_client, reopened, {"evidence": [{"url": SECRET_URL, "stance": "refutes", "note": SECRET_NOTE}]})
    reader = request.getfixturevalue(client_name)

    responses = _reader_responses(reader, reopened, before=now)
    assert reopened.pk in [row["id"] for row in reader.get("/api/v1/claims/").json()["results"]]
    for body in responses:
        assert SECRET_URL not in body
        assert SECRET_NOTE not in body
    desk = editor_client.get(url(reopened)).json()
    assert SECRET_URL in [evidence["url"] for evidence in desk["evidence"]]


# Filters: readers filter what they are shown ------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", READERS)
def test_readers_filter_and_search_the_claim_as_approved_not_the_desks_edits(
    request, client_name, published, editor_client
):
    reader = request.getfixturevalue(client_name)
    approved = reader.get(url(published)).json()
    relay, speaker = SourceFactory(), SourceFactory()
    published_at = Verdict.objects.current().get(claim=published).published_at
    edited_at = timezone.now()
    patch(
        editor_client,
        published,
        {
            "statement": "The ceasefire collapsed overnight.",
            "kind": "status",
            "claimant": speaker.pk,
            "language": "fr",
            "tags": ["ceasefire"],
            "claim_date": "2020-01-01",
            "attributions": [
                {
                    "appearance": published.first_appearance_id,
                    "hops": [
                        {"source": relay.pk, "relation": "cites"},
                        {"source": speaker.pk, "relation": "publishes"},
                    ],
                }
            ],
        },
    )
    edits = [
        {"q": "ceasefire"},
        {"kind": "status"},
        {"claimant": speaker.pk},
        {"source": relay.pk},
        {"language": "fr"},
        {"tag": "ceasefire"},
        {"claim_date_before": "2020-06-01"},
        {"updated_since": edited_at.isoformat()},
    ]
    as_approved = [
        {"q": "organisations"},
        {"kind": approved["kind"]},
        {"claimant": approved["claimant"]["id"]},
        {"source": approved["attributions"][0]["hops"][0]["source"]["id"]},
        {"language": approved["language"]},
        {"claim_date_after": approved["claim_date"], "claim_date_before": approved["claim_date"]},
        {"updated_since": published_at.isoformat()},
    ]
    for params in edits:
        assert listed(reader, published, **params) is None, params
        assert listed(editor_client, published, **params) is not None, params
    for params in as_approved:
        assert listed(reader, published, **params) is not None, params


# Corrections ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", READERS)
def test_readers_never_see_a_claim_in_review(request, client_name, reopened, editor_client):
    reader = request.getfixturevalue(client_name)

    assert reader.get(url(reopened)).json()["status"] == "published"
    assert listed(reader, reopened)["status"] == "published"
    assert listed(reader, reopened, status="in_review") is None
    assert listed(reader, reopened, status="published")["status"] == "published"
    assert listed(editor_client, reopened, status="in_review")["status"] == "in_review"
    assert listed(editor_client, reopened, status="published") is None


@pytest.mark.parametrize("client_name", READERS)
def test_a_published_correction_brings_the_desks_edits_to_readers(
    request, client_name, reopened, editor_client, second_editor_client
):
    before_correction = timezone.now()
    patch(
        editor_client,
        reopened,
        {
            "statement": "Delegates from 15 organisations attended the talks.",
            "evidence": [{"url": "https://records.example.org/second", "stance": "refutes", "note": "Second list."}],
        },
    )
    step(second_editor_client, reopened, "approve")
    step(editor_client, reopened, "publish")
    reader = request.getfixturevalue(client_name)

    body = reader.get(url(reopened)).json()
    assert body["statement"] == "Delegates from 15 organisations attended the talks."
    assert "https://records.example.org/second" in [evidence["url"] for evidence in body["evidence"]]
    assert body["current_verdict"]["version"] == 2
    assert listed(reader, reopened)["statement"] == "Delegates from 15 organisations attended the talks."
    past = reader.get(url(reopened), {"as_of": before_correction.isoformat()}).json()
    assert past["statement"] == "Delegates from 14 organisations attended the talks."
    assert "https://records.example.org/second" not in [evidence["url"] for evidence in past["evidence"]]
    assert past["current_verdict"]["version"] == 1


@pytest.mark.parametrize("client_name", READERS)
def test_publishing_publishes_the_claim_as_approved_not_later_edits(
    request, client_name, reopened, editor_client, second_editor_client
):
    patch(editor_client, reopened, {"statement": "Reviewed wording."})
    step(second_editor_client, reopened, "approve")
    patch(editor_client, reopened, {"statement": "Unreviewed wording."})
    step(editor_client, reopened, "publish")
    reader = request.getfixturevalue(client_name)

    assert reader.get(url(reopened)).json()["statement"] == "Reviewed wording."
    assert listed(reader, reopened)["statement"] == "Reviewed wording."
    assert editor_client.get(url(reopened)).json()["statement"] == "Unreviewed wording."


# The services --------------------------------------------------------------------------------------------------------


def test_an_approval_captures_the_claim_and_a_rejection_drops_it(editor):
    draft = draft_in_review(claim_with_parts(published=False))
    approved = services.verdict_approve(verdict=draft, approver=editor)
    assert approved.claim_snapshot == claim_snapshot(draft.claim)
    assert approved.claim_snapshot["statement"] == draft.claim.statement
    assert len(approved.claim_snapshot["evidence"]) == 1

    rejected = services.verdict_reject(verdict=approved, actor=editor, comment="Check the second register.")
    rejected.refresh_from_db()
    assert (rejected.approved_at, rejected.claim_snapshot) == (None, None)


def test_the_snapshot_is_the_claim_as_the_api_renders_it(editor_client):
    claim = claim_with_parts(published=False, tags=["moscow"])
    live = editor_client.get(url(claim)).json()
    assert claim_snapshot(claim) == {field: live[field] for field in PUBLIC_FIELDS}


def test_the_data_migration_builds_the_snapshot_the_serializer_builds():
    migration = importlib.import_module("claims.migrations.0009_fill_verdict_claim_snapshot")
    claim = claim_with_parts(published=False, hops=3, tags=["moscow", "talks"], quote="Fourteen of them.")
    claim_without_parts = Claim.objects.create(statement="A bare claim.")

    for each in (claim, claim_without_parts):
        loaded = Claim.objects.select_related("claimant", "question", "first_appearance__publisher").get(pk=each.pk)
        assert migration.snapshot(loaded, apps) == claim_snapshot(each)


# The database --------------------------------------------------------------------------------------------------------


def test_the_database_refuses_an_approval_without_the_claim_as_approved():
    draft = draft_in_review()
    with pytest.raises(IntegrityError, match="verdict_approval_has_snapshot"), transaction.atomic():
        Verdict.objects.filter(pk=draft.pk).update(approver=EditorFactory(), approved_at=timezone.now())
    with pytest.raises(IntegrityError, match="verdict_approval_has_snapshot"), transaction.atomic():
        Verdict.objects.filter(pk=draft.pk).update(claim_snapshot={"statement": "Unapproved."})


@pytest.mark.parametrize(
    "change",
    [
        {"summary": "Rewritten."},
        {"explanation": "Rewritten."},
        {"claim_snapshot": {"statement": "Rewritten."}},
        {"correction_note": "Rewritten."},
        {"version": 7},
        {"published_at": dt.datetime(2030, 1, 1, tzinfo=dt.UTC)},
        {"approver": "other"},
        {"rating": None},
    ],
    ids=lambda change: next(iter(change)),
)
def test_the_database_refuses_to_rewrite_a_published_version(change):
    verdict = published_verdict(claim_with_parts(published=False))
    if change.get("approver") == "other":
        change = {"approver": StaffFactory()}
    with pytest.raises(IntegrityError, match="is published and is never changed"), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).update(**change)
    assert Verdict.objects.get(pk=verdict.pk).summary == verdict.summary


def test_a_published_version_may_still_be_superseded():
    verdict = published_verdict(claim_with_parts(published=False))
    now = timezone.now()
    assert Verdict.objects.filter(pk=verdict.pk).update(superseded_at=now, updated_at=now) == 1
    assert Verdict.objects.get(pk=verdict.pk).superseded_at == now


def test_drafts_stay_editable():
    draft = draft_in_review()
    assert Verdict.objects.filter(pk=draft.pk).update(summary="Still a draft.") == 1
    assert Claim.objects.get(pk=draft.claim_id).status == ClaimStatus.IN_REVIEW
