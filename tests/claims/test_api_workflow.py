"""The workflow over the API: the steps as POST actions with If-Match, verdict versions and as_of, ETags, "my work",
internal comments and the review log, and what readers never see.

`step(client, claim, verb, body)` posts a step with the claim's current ETag; `URLS`/`READERS` list what the
permission matrix needs, so it can be extended from here.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from django.utils import timezone

from claims.models import Claim, ClaimStatus, Comment, ReviewEvent, Verdict
from claims.workflow import TRANSITIONS
from factcheck.preconditions import etag_for
from tests.factories import (
    ClaimFactory,
    EditorFactory,
    StaffFactory,
    claim_with_parts,
    default_rating,
    draft_in_review,
    published_verdict,
)

pytestmark = pytest.mark.django_db

S = ClaimStatus
READERS = ["anon_client", "outsider_client"]
DESK = ["fact_checker_client", "editor_client"]


def url(claim: Claim, verb: str = "") -> str:
    return f"/api/v1/claims/{claim.pk}/" + (f"{verb}/" if verb else "")


def current_etag(claim: Claim) -> str:
    return etag_for(Claim.objects.get(pk=claim.pk))


def step(client, claim: Claim, verb: str, body: dict | None = None, etag: str | None = None):
    return client.post(url(claim, verb), body or {}, format="json", HTTP_IF_MATCH=etag or current_etag(claim))


def status_of(claim: Claim) -> str:
    return Claim.objects.get(pk=claim.pk).status


@pytest.fixture
def second_editor_client(client_factory):
    return client_factory(EditorFactory(username="sam-second-editor"))


@pytest.fixture
def client_factory():
    from tests.conftest import DeskClient

    def make(user):
        client = DeskClient()
        client.force_authenticate(user)
        return client

    return make


# The demo flow ---------------------------------------------------------------------------------------------------


def test_a_claim_goes_from_new_to_published_and_is_corrected_over_the_api(
    editor_client, second_editor_client, fact_checker_client, anon_client, fact_checker
):
    claim = claim_with_parts(published=False)
    assert step(editor_client, claim, "triage").json()["status"] == "triaged"
    assert step(editor_client, claim, "assign", {"assignee": fact_checker.username}).json()["status"] == "researching"

    drafted = step(fact_checker_client, claim, "draft", {"rating": "false", "summary": "Far fewer."})
    assert drafted.status_code == 200, drafted.json()
    assert drafted.json()["verdicts"][0]["summary"] == "Far fewer."
    edited = step(fact_checker_client, claim, "draft", {"explanation": "The register lists 12."}, drafted["ETag"])
    assert edited.status_code == 200, edited.json()
    assert step(fact_checker_client, claim, "submit", etag=edited["ETag"]).json()["status"] == "in_review"

    refused = step(fact_checker_client, claim, "approve")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only editors approve verdicts."
    assert step(editor_client, claim, "approve").status_code == 200
    published = step(editor_client, claim, "publish")
    assert published.json()["status"] == "published"
    assert published.json()["current_verdict"]["rating"]["slug"] == "false"

    public = anon_client.get(url(claim))
    assert public.status_code == 200
    assert public.json()["current_verdict"]["version"] == 1
    before_correction = timezone.now()

    reopened = step(
        editor_client,
        claim,
        "reopen",
        {
            "correction_kind": "rating_changed",
            "correction_note": "A second register lists 15.",
            "rating": "mostly-false",
        },
    )
    assert reopened.json()["status"] == "in_review"
    assert anon_client.get(url(claim)).json()["current_verdict"]["version"] == 1
    assert step(editor_client, claim, "approve").status_code == 403
    assert step(second_editor_client, claim, "approve").status_code == 200
    assert step(second_editor_client, claim, "publish").status_code == 200

    now = anon_client.get(url(claim)).json()
    assert (now["current_verdict"]["version"], now["current_verdict"]["rating"]["slug"]) == (2, "mostly-false")
    assert now["verdicts"][0]["correction_note"] == "A second register lists 15."
    then = anon_client.get(url(claim), {"as_of": before_correction.isoformat()}).json()
    assert (then["current_verdict"]["version"], then["current_verdict"]["rating"]["slug"]) == (1, "false")
    assert [v["version"] for v in anon_client.get(url(claim, "verdicts")).json()] == [2, 1]


# Preconditions ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", [step.verb for step in TRANSITIONS.values()])
def test_every_step_needs_if_match(verb, editor_client):
    claim = ClaimFactory()
    response = editor_client.post(url(claim, verb), {}, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert not ReviewEvent.objects.exists()


def test_a_step_with_a_stale_etag_answers_412_and_changes_nothing(editor_client):
    claim = ClaimFactory()
    stale = current_etag(claim)
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())

    response = step(editor_client, claim, "triage", etag=stale)

    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert status_of(claim) == S.NEW


def test_a_step_answers_the_claim_with_its_new_etag(editor_client):
    claim = ClaimFactory()
    response = step(editor_client, claim, "triage")
    assert response["ETag"] == current_etag(claim)
    assert step(editor_client, claim, "dismiss", etag=response["ETag"]).status_code == 200


def test_a_draft_change_changes_the_claims_etag(fact_checker_client, fact_checker):
    claim = ClaimFactory(status=S.RESEARCHING)
    before = current_etag(claim)
    assert step(fact_checker_client, claim, "draft", {"summary": "x"}).status_code == 200
    assert current_etag(claim) != before


def test_patch_without_if_match_answers_428(editor_client):
    claim = ClaimFactory(quote="old")
    response = editor_client.patch(url(claim), {"quote": "new"}, format="json")
    assert response.status_code == 428
    assert Claim.objects.get(pk=claim.pk).quote == "old"


def test_a_patch_on_a_claim_changed_meanwhile_answers_412_and_keeps_the_other_change(editor_client):
    claim = ClaimFactory(quote="old", statement="Old wording.")
    read = editor_client.get(url(claim))["ETag"]
    assert (
        editor_client.patch(url(claim), {"statement": "A colleague's."}, format="json", HTTP_IF_MATCH=read).status_code
        == 200
    )

    response = editor_client.patch(url(claim), {"quote": "mine"}, format="json", HTTP_IF_MATCH=read)

    assert response.status_code == 412
    claim.refresh_from_db()
    assert (claim.statement, claim.quote) == ("A colleague's.", "old")


def test_if_match_star_accepts_any_version(editor_client):
    claim = ClaimFactory()
    assert step(editor_client, claim, "triage", etag="*").status_code == 200


# Refusals --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", [s.verb for s in TRANSITIONS.values() if s.role == "editor"])
def test_fact_checkers_get_403_with_the_reason_for_editors_steps(verb, fact_checker_client):
    claim = ClaimFactory()
    response = step(fact_checker_client, claim, verb)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Only editors ")


@pytest.mark.parametrize("client_name", READERS)
@pytest.mark.parametrize("verb", [s.verb for s in TRANSITIONS.values()])
def test_readers_may_take_no_step(request, client_name, verb):
    claim = published_verdict().claim
    response = step(request.getfixturevalue(client_name), claim, verb)
    assert response.status_code == (401 if client_name == "anon_client" else 403)
    assert not ReviewEvent.objects.exists()


def test_an_illegal_step_is_a_409_that_says_why(fact_checker_client):
    claim = published_verdict().claim
    response = step(fact_checker_client, claim, "draft", {"summary": "Change of heart."})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"Claim {claim.pk} is published; only an editor can reopen it for a correction. "
        "Draft verdict needs a claim that is researching."
    )


def test_a_step_on_a_claim_without_a_draft_is_a_409(editor_client):
    claim = ClaimFactory(status=S.IN_REVIEW)
    response = step(editor_client, claim, "approve")
    assert response.status_code == 409
    assert response.json()["detail"] == f"Claim {claim.pk} has no draft verdict to approve."


def test_approving_your_own_draft_is_a_403_that_says_why(editor_client, editor):
    draft = draft_in_review(author=editor)
    response = step(editor_client, draft.claim, "approve")
    assert response.status_code == 403
    assert "Nobody approves their own verdict" in response.json()["detail"]
    assert Verdict.objects.get(pk=draft.pk).approver is None


def test_a_step_on_a_missing_claim_is_404(editor_client):
    response = editor_client.post("/api/v1/claims/999999/triage/", {}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("verb", "status", "body", "field"),
    [
        ("assign", S.TRIAGED, {"assignee": "nobody-by-this-name"}, "assignee"),
        ("assign", S.TRIAGED, {}, "assignee"),
        ("mark-duplicate", S.NEW, {"of": 999999}, "of"),
        ("mark-duplicate", S.NEW, {"of": "1.5"}, "of"),
        ("draft", S.RESEARCHING, {"rating": "no-such-rating"}, "rating"),
        ("draft", S.RESEARCHING, {"rating": "false", "scale": "no-such-scale"}, "scale"),
        ("draft", S.RESEARCHING, {"correction_kind": "oops"}, "correction_kind"),
        ("reject", S.IN_REVIEW, {}, "comment"),
        ("reopen", S.PUBLISHED, {"correction_note": "x"}, "correction_kind"),
        ("reopen", S.PUBLISHED, {"correction_kind": "update"}, "correction_note"),
    ],
)
def test_a_bad_body_is_a_400_naming_the_field(verb, status, body, field, editor_client):
    claim = ClaimFactory(status=status)
    response = step(editor_client, claim, verb, body)
    assert response.status_code == 400, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    assert status_of(claim) == status


def test_assigning_someone_off_the_desk_is_a_400(editor_client, outsider):
    claim = ClaimFactory(status=S.TRIAGED)
    response = step(editor_client, claim, "assign", {"assignee": outsider.username})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "assignee"


# Mass assignment: assert on the database, not on the status code ---------------------------------------------------


WORKFLOW_FIELDS = {
    "status": "published",
    "assignee": 1,
    "version": 9,
    "author": 1,
    "approver": 1,
    "approved_at": "2001-01-01T00:00:00Z",
    "published_at": "2001-01-01T00:00:00Z",
    "superseded_at": "2001-01-01T00:00:00Z",
    "created_by": 1,
}


def test_create_ignores_status_times_and_people(editor_client, outsider):
    body = {"statement": "A claim.", **WORKFLOW_FIELDS, "assignee": outsider.pk, "created_by": outsider.pk}
    response = editor_client.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 201
    claim = Claim.objects.get()
    assert (claim.status, claim.assignee, claim.created_by.username) == (S.NEW, None, "edna-editor")
    assert not Verdict.objects.exists()


def test_patch_ignores_status_times_and_people(editor_client, outsider):
    claim = ClaimFactory()
    body = {**WORKFLOW_FIELDS, "assignee": outsider.pk, "created_by": outsider.pk}
    response = editor_client.patch(url(claim), body, format="json", HTTP_IF_MATCH=current_etag(claim))
    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.status, claim.assignee, claim.created_by) == (S.NEW, None, None)


def test_draft_ignores_version_authorship_approval_and_publication(fact_checker_client, fact_checker, outsider):
    claim = ClaimFactory(status=S.RESEARCHING)
    body = {**WORKFLOW_FIELDS, "author": outsider.pk, "approver": outsider.pk, "summary": "Mine."}
    for _ in range(2):  # once to create the draft, once to change it
        assert step(fact_checker_client, claim, "draft", body).status_code == 200
    draft = Verdict.objects.get(claim=claim)
    assert (draft.version, draft.author, draft.approver, draft.approved_at, draft.published_at, draft.summary) == (
        1,
        fact_checker,
        None,
        None,
        None,
        "Mine.",
    )
    assert status_of(claim) == S.RESEARCHING


def test_reopen_ignores_version_authorship_and_times(editor_client, editor, outsider):
    claim = published_verdict().claim
    body = {**WORKFLOW_FIELDS, "author": outsider.pk, "correction_kind": "update", "correction_note": "New data."}
    assert step(editor_client, claim, "reopen", body).status_code == 200
    draft = Verdict.objects.drafts().get(claim=claim)
    assert (draft.version, draft.author, draft.approver, draft.published_at) == (2, editor, None, None)


# Verdict versions and as_of --------------------------------------------------------------------------------------


@pytest.fixture
def corrected_claim() -> tuple[Claim, dt.datetime]:
    """A claim published two days ago, corrected yesterday, with a correction draft open today; and a moment between."""
    now = timezone.now()
    claim = ClaimFactory(status=S.IN_REVIEW)
    published_verdict(
        claim,
        approved_at=now - dt.timedelta(days=2),
        published_at=now - dt.timedelta(days=2),
        superseded_at=now - dt.timedelta(days=1),
    )
    published_verdict(
        claim,
        version=2,
        correction_kind="update",
        rating=default_rating("mostly-false"),
        approved_at=now - dt.timedelta(days=1),
        published_at=now - dt.timedelta(days=1),
    )
    draft_in_review(claim, version=3, correction_kind="update")
    return claim, now - dt.timedelta(hours=36)


@pytest.mark.parametrize("client_name", READERS)
def test_readers_list_the_published_versions_only(request, client_name, corrected_claim):
    claim, _ = corrected_claim
    response = request.getfixturevalue(client_name).get(url(claim, "verdicts"))
    assert response.status_code == 200
    assert [v["version"] for v in response.json()] == [2, 1]


@pytest.mark.parametrize("client_name", DESK)
def test_the_desk_lists_every_version_with_the_draft(request, client_name, corrected_claim):
    claim, _ = corrected_claim
    assert [v["version"] for v in request.getfixturevalue(client_name).get(url(claim, "verdicts")).json()] == [3, 2, 1]


@pytest.mark.parametrize("client_name", [*READERS, *DESK])
def test_as_of_lists_the_version_current_then(request, client_name, corrected_claim):
    claim, between = corrected_claim
    client = request.getfixturevalue(client_name)
    assert [v["version"] for v in client.get(url(claim, "verdicts"), {"as_of": between.isoformat()}).json()] == [1]
    detail = client.get(url(claim), {"as_of": between.isoformat()}).json()
    assert detail["current_verdict"]["version"] == 1
    assert [v["version"] for v in detail["verdicts"]] == [1]


@pytest.mark.parametrize("client_name", READERS)
def test_readers_get_404_for_a_claim_not_yet_published_then(request, client_name, corrected_claim):
    claim, _ = corrected_claim
    three_days_ago = (timezone.now() - dt.timedelta(days=3)).isoformat()
    client = request.getfixturevalue(client_name)
    assert client.get(url(claim), {"as_of": three_days_ago}).status_code == 404
    assert client.get(url(claim, "verdicts"), {"as_of": three_days_ago}).status_code == 404


def test_the_desk_sees_the_claim_as_of_before_publication_without_a_verdict(editor_client, corrected_claim):
    claim, _ = corrected_claim
    three_days_ago = (timezone.now() - dt.timedelta(days=3)).isoformat()
    body = editor_client.get(url(claim), {"as_of": three_days_ago}).json()
    assert (body["current_verdict"], body["verdicts"]) == (None, [])


@pytest.mark.parametrize("path", ["", "verdicts"])
def test_a_bad_as_of_is_a_400_naming_it(anon_client, path):
    claim = published_verdict().claim
    response = anon_client.get(url(claim, path), {"as_of": "last tuesday"})
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["as_of"]


def test_the_verdict_list_takes_as_of_too(anon_client, corrected_claim):
    claim, between = corrected_claim
    other = published_verdict()
    body = anon_client.get("/api/v1/verdicts/", {"as_of": between.isoformat()}).json()
    assert [row["version"] for row in body["results"] if row["claim"] == claim.pk] == [1]
    assert other.pk not in [row["id"] for row in body["results"]]
    bad = anon_client.get("/api/v1/verdicts/", {"as_of": "soon"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "as_of")


@pytest.mark.parametrize(("client_name", "expected"), [("anon_client", 2), ("editor_client", 3)])
def test_the_versions_list_takes_a_fixed_number_of_queries(
    request, client_name, expected, corrected_claim, django_assert_num_queries
):
    # 0. the user's desk roles (signed-in users only)
    # 1. the claim, if the user may see it
    # 2. its versions, joined to rating, scale, author and approver
    claim, _ = corrected_claim
    client = request.getfixturevalue(client_name)
    with django_assert_num_queries(expected):
        assert client.get(url(claim, "verdicts")).status_code == 200


# ETags on reads --------------------------------------------------------------------------------------------------


def test_claim_and_verdict_details_carry_an_etag_and_answer_304_when_it_still_matches(anon_client):
    verdict = published_verdict()
    for path, obj in ((url(verdict.claim), verdict.claim), (f"/api/v1/verdicts/{verdict.pk}/", verdict)):
        response = anon_client.get(path)
        assert response["ETag"] == etag_for(type(obj).objects.get(pk=obj.pk))
        again = anon_client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
        assert (again.status_code, again.content) == (304, b"")
        assert anon_client.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_past_view_carries_no_etag(anon_client):
    claim = published_verdict().claim
    assert "ETag" not in anon_client.get(url(claim), {"as_of": timezone.now().isoformat()})


# My work ---------------------------------------------------------------------------------------------------------


def test_assignee_me_lists_my_claims(fact_checker_client, fact_checker):
    mine = ClaimFactory(status=S.RESEARCHING, assignee=fact_checker)
    ClaimFactory(status=S.RESEARCHING, assignee=StaffFactory())
    ClaimFactory()
    response = fact_checker_client.get("/api/v1/claims/", {"assignee": "me"})
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    by_name = fact_checker_client.get("/api/v1/claims/", {"assignee": fact_checker.username})
    assert [row["id"] for row in by_name.json()["results"]] == [mine.pk]


def test_awaiting_review_lists_the_drafts_an_editor_did_not_write(editor_client, editor):
    theirs = draft_in_review()
    draft_in_review(author=editor)
    ClaimFactory(status=S.RESEARCHING)
    response = editor_client.get("/api/v1/claims/", {"awaiting_review": "true"})
    assert [row["id"] for row in response.json()["results"]] == [theirs.claim_id]


def test_nothing_awaits_a_fact_checkers_review(fact_checker_client):
    draft_in_review()
    assert fact_checker_client.get("/api/v1/claims/", {"awaiting_review": "true"}).json()["results"] == []


@pytest.mark.parametrize("client_name", READERS)
def test_readers_learn_nothing_about_assignments(request, client_name, fact_checker):
    published_verdict(ClaimFactory(assignee=fact_checker))
    client = request.getfixturevalue(client_name)
    assert client.get("/api/v1/claims/", {"assignee": fact_checker.username}).json()["results"] == []
    assert client.get("/api/v1/claims/", {"assignee": "me"}).json()["results"] == []


def test_awaiting_review_refuses_values_other_than_true_or_false(editor_client):
    response = editor_client.get("/api/v1/claims/", {"awaiting_review": "maybe"})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "awaiting_review")


@pytest.mark.parametrize("params", [{"assignee": "me"}, {"awaiting_review": "true"}])
def test_my_work_lists_take_three_queries_however_many_claims(editor_client, editor, params, django_assert_num_queries):
    # 1. the user's desk roles
    # 2. the page of claims (with EXISTS(a draft by someone else) for awaiting_review)
    # 3. the current verdicts of those claims
    def add(count: int) -> None:
        for _ in range(count):
            ClaimFactory(status=S.RESEARCHING, assignee=editor)
            draft_in_review()

    add(2)
    with django_assert_num_queries(3):
        assert len(editor_client.get("/api/v1/claims/", params).json()["results"]) == 2
    add(8)
    with django_assert_num_queries(3):
        assert len(editor_client.get("/api/v1/claims/", params).json()["results"]) == 10


# Internal comments and the review log ----------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", DESK)
def test_the_desk_comments_on_a_claim(request, client_name):
    claim = ClaimFactory()
    client = request.getfixturevalue(client_name)
    response = client.post(url(claim, "comments"), {"body": "Ask the ministry for the register."}, format="json")
    assert response.status_code == 201
    assert response.json()["body"] == "Ask the ministry for the register."
    assert [c["body"] for c in client.get(url(claim, "comments")).json()] == ["Ask the ministry for the register."]


def test_a_comment_does_not_change_the_claims_etag(editor_client):
    claim = ClaimFactory()
    before = current_etag(claim)
    editor_client.post(url(claim, "comments"), {"body": "Note."}, format="json")
    assert current_etag(claim) == before


def test_a_blank_comment_is_a_400(editor_client):
    response = editor_client.post(url(ClaimFactory(), "comments"), {"body": ""}, format="json")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "body")


@pytest.mark.parametrize("client_name", READERS)
@pytest.mark.parametrize("path", ["comments", "events"])
def test_comments_and_the_review_log_do_not_exist_for_readers(request, client_name, path, editor):
    claim = published_verdict().claim
    Comment.objects.create(claim=claim, author=editor, body="Internal.")
    client = request.getfixturevalue(client_name)
    assert client.get(url(claim, path)).status_code == 404
    assert client.post(url(claim, path), {"body": "Hello."}, format="json").status_code == 404
    assert Comment.objects.count() == 1
    assert b"Internal." not in client.get(url(claim)).content


def test_the_review_log_lists_every_step_newest_first(editor_client, fact_checker):
    claim = ClaimFactory()
    step(editor_client, claim, "triage", {"comment": "Checkable: a number."})
    step(editor_client, claim, "assign", {"assignee": fact_checker.username})
    body = editor_client.get(url(claim, "events")).json()
    assert [(e["transition"], e["from_status"], e["to_status"], e["actor"]) for e in body] == [
        ("assign", "triaged", "researching", "edna-editor"),
        ("triage", "new", "triaged", "edna-editor"),
    ]
    assert body[1]["comment"] == "Checkable: a number."


@pytest.mark.parametrize("path", ["comments", "events"])
def test_comments_and_the_log_take_three_queries_however_long(editor_client, editor, path, django_assert_num_queries):
    # 1. the user's desk roles  2. the claim  3. its comments (or events) joined to their author (and verdict)
    claim = draft_in_review().claim
    for number in range(5):
        Comment.objects.create(claim=claim, author=StaffFactory(), body=f"Note {number}.")
        ReviewEvent.objects.create(
            claim=claim, actor=StaffFactory(), transition="approve", from_status="in_review", to_status="in_review"
        )
    with django_assert_num_queries(3):
        assert len(editor_client.get(url(claim, path)).json()) == 5


# The schema ------------------------------------------------------------------------------------------------------


def test_every_step_is_documented_with_if_match_and_its_bodies(anon_client):
    schema = yaml.safe_load(anon_client.get("/api/v1/schema/").content)
    for transition in TRANSITIONS.values():
        operation = schema["paths"][f"/api/v1/claims/{{id}}/{transition.verb}/"]["post"]
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["If-Match"]["required"] is True
        assert {"200", "400", "403", "404", "409", "412", "428"} <= set(operation["responses"])
        assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ClaimDetail"
        }
        assert transition.description in operation["description"]
    assert "If-Match" in [p["name"] for p in schema["paths"]["/api/v1/claims/{id}/"]["patch"]["parameters"]]


def test_a_published_claim_still_gains_evidence_and_its_etag_moves(editor_client):
    claim = published_verdict().claim
    before = current_etag(claim)
    response = editor_client.patch(
        url(claim),
        {"evidence": [{"url": "https://records.example.org/x", "stance": "context"}]},
        format="json",
        HTTP_IF_MATCH=before,
    )
    assert response.status_code == 200
    assert response["ETag"] != before
