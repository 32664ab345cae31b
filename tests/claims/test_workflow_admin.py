"""The workflow in the admin: buttons only for the steps the user may take now, forms for steps that need input,
refusals as messages, no step and no save over a change the editor has not seen, "my work", comments, the log."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimStatus, Comment, ReviewEvent, Verdict
from claims.services import claim_triage
from claims.snapshot import claim_snapshot
from factcheck.admin_utils import LOADED_VERSION, object_version
from tests.claims.test_admin import change_url, form_data
from tests.factories import (
    ClaimFactory,
    EditorFactory,
    EvidenceFactory,
    StaffFactory,
    default_rating,
    draft_in_review,
    published_verdict,
)

pytestmark = pytest.mark.django_db

S = ClaimStatus
CLAIMS = reverse("admin:claims_claim_changelist")


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def buttons(client: Client, claim: Claim) -> list[str]:
    response = client.get(change_url(claim))
    assert response.status_code == 200
    return [button["label"] for button in response.context["transition_buttons"]]


def step_url(claim: Claim, name: str) -> str:
    return reverse("admin:claims_claim_transition", args=[claim.pk, name])


def take(client: Client, claim: Claim, name: str, **data: Any) -> list[str]:
    """Post a step as its button (and its form, when `data` is given) would, and return the messages shown."""
    fresh = Claim.objects.get(pk=claim.pk)
    post = {LOADED_VERSION: object_version(fresh), **({"_confirm": "1", **data} if data else {})}
    response = client.post(step_url(claim, name), post, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def editor_page(editor) -> Client:
    return logged_in(editor)


@pytest.fixture
def fact_checker_page(fact_checker) -> Client:
    return logged_in(fact_checker)


# Which buttons -----------------------------------------------------------------------------------------------------


def test_an_editor_sees_the_steps_a_new_claim_can_take(editor_page):
    assert buttons(editor_page, ClaimFactory()) == ["Triage", "Dismiss…", "Mark duplicate…"]


def test_a_fact_checker_sees_no_editors_steps(fact_checker_page):
    assert buttons(fact_checker_page, ClaimFactory()) == []
    assert buttons(fact_checker_page, ClaimFactory(status=S.TRIAGED)) == []


def test_research_offers_drafting_and_submitting_once_there_is_a_draft(fact_checker_page, fact_checker):
    claim = ClaimFactory(status=S.RESEARCHING, assignee=fact_checker)
    assert buttons(fact_checker_page, claim) == ["Draft verdict…"]
    Verdict.objects.create(claim=claim, version=1, author=fact_checker)
    assert buttons(fact_checker_page, claim) == ["Draft verdict…", "Submit for review"]


def test_review_offers_approval_only_to_someone_else_and_publication_once_approved(editor, editor_page):
    mine = draft_in_review(author=editor)
    theirs = draft_in_review()
    assert buttons(editor_page, mine.claim) == ["Reject…"]
    assert buttons(editor_page, theirs.claim) == ["Approve", "Reject…"]
    Verdict.objects.filter(pk=theirs.pk).update(
        approver=EditorFactory(), approved_at=timezone.now(), claim_snapshot=claim_snapshot(theirs.claim)
    )
    assert buttons(editor_page, theirs.claim) == ["Reject…", "Publish"]


def test_a_published_claim_offers_a_correction(editor_page, fact_checker_page):
    claim = published_verdict().claim
    assert buttons(editor_page, claim) == ["Reopen for a correction…"]
    assert buttons(fact_checker_page, claim) == []


# Taking steps ------------------------------------------------------------------------------------------------------


def test_the_demo_flow_in_the_admin(editor, editor_page, fact_checker, fact_checker_page):
    claim = ClaimFactory()
    assert "Triage done" in " ".join(take(editor_page, claim, "triage"))
    take(editor_page, claim, "assign", assignee=fact_checker.pk, comment="Yours.")
    take(
        fact_checker_page,
        claim,
        "draft",
        rating=default_rating("false").pk,
        summary="Fewer.",
        explanation="The register lists 12.",
    )
    take(
        fact_checker_page,
        claim,
        "draft",
        rating=default_rating("false").pk,
        summary="Far fewer.",
        explanation="The register lists 12.",
    )
    EvidenceFactory(claim=claim)
    take(fact_checker_page, claim, "submit")
    assert fact_checker_page.post(step_url(claim, "approve")).status_code == 403
    take(editor_page, claim, "approve")
    take(editor_page, claim, "publish")
    assert Claim.objects.published().get() == claim

    take(
        editor_page,
        claim,
        "reopen",
        correction_kind="not_affecting_rating",
        correction_note="The register's date was wrong.",
        rating=default_rating("false").pk,
        summary="Far fewer.",
        explanation="The 2024 register lists 12.",
    )
    second = logged_in(EditorFactory())
    take(second, claim, "approve")
    take(second, claim, "publish")

    assert [v.summary for v in Verdict.objects.filter(claim=claim).order_by("version")] == ["Far fewer.", "Far fewer."]
    assert Verdict.objects.current().get().version == 2
    assert [e.transition for e in ReviewEvent.objects.filter(claim=claim).order_by("id")] == [
        "triage",
        "assign",
        "draft",
        "draft",
        "submit",
        "approve",
        "publish",
        "reopen",
        "approve",
        "publish",
    ]


def test_a_step_that_needs_input_shows_its_form_first(editor_page, fact_checker):
    claim = ClaimFactory(status=S.TRIAGED)
    response = editor_page.post(step_url(claim, "assign"), {LOADED_VERSION: object_version(claim)})
    assert response.status_code == 200
    assert 'name="assignee"' in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == S.TRIAGED

    take(editor_page, claim, "assign", assignee=fact_checker.pk)
    assert Claim.objects.get(pk=claim.pk).assignee == fact_checker


def test_a_rejection_without_a_reason_shows_the_form_again(editor_page):
    draft = draft_in_review()
    response = editor_page.post(
        step_url(draft.claim, "reject"), {"_confirm": "1", LOADED_VERSION: object_version(draft.claim), "comment": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Claim.objects.get(pk=draft.claim_id).status == S.IN_REVIEW


def test_an_illegal_step_is_refused_with_the_reason_as_a_message(editor_page):
    claim = ClaimFactory(status=S.TRIAGED)
    messages = take(editor_page, claim, "triage")
    assert f"Claim {claim.pk} is triaged; an editor assigns it to a fact-checker first." in " ".join(messages)
    assert not ReviewEvent.objects.exists()


def test_a_step_from_a_page_that_is_out_of_date_is_refused(editor_page, editor):
    claim = ClaimFactory()
    seen = object_version(claim)
    claim_triage(claim=claim, actor=EditorFactory())

    response = editor_page.post(step_url(claim, "dismiss"), {LOADED_VERSION: seen, "_confirm": "1"}, follow=True)

    assert "it changed since you opened the page" in " ".join(str(m) for m in response.context["messages"])
    assert Claim.objects.get(pk=claim.pk).status == S.TRIAGED


def test_a_fact_checker_gets_403_for_an_editors_step(fact_checker_page):
    claim = ClaimFactory()
    assert fact_checker_page.post(step_url(claim, "triage")).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == S.NEW


def test_triage_is_a_bulk_action_and_explains_each_refusal(editor_page):
    new, dismissed = ClaimFactory(), ClaimFactory(status=S.DISMISSED)
    response = editor_page.post(
        CLAIMS, {"action": "transition_triage", "_selected_action": [new.pk, dismissed.pk]}, follow=True
    )
    messages = " ".join(str(m) for m in response.context["messages"])
    assert f"Claim {dismissed.pk} is dismissed (not checkable); it was dismissed as not checkable." in messages
    assert "Triage: 1 done." in messages
    assert Claim.objects.get(pk=new.pk).status == S.TRIAGED


def test_steps_that_need_input_are_not_bulk_actions(editor_page):
    actions = editor_page.get(CLAIMS).context["action_form"].fields["action"].choices
    names = {name for name, _label in actions}
    assert {"transition_triage", "transition_approve", "transition_publish"} <= names
    assert not names & {"transition_assign", "transition_reject", "transition_reopen", "transition_dismiss"}


# No lost updates ---------------------------------------------------------------------------------------------------


def test_saving_over_a_change_made_meanwhile_is_refused_and_nothing_is_written(editor_page):
    claim = ClaimFactory(statement="Old wording.", quote="old")
    data = form_data(editor_page.get(change_url(claim)))
    Claim.objects.filter(pk=claim.pk).update(quote="a colleague's quote", updated_at=timezone.now())

    data["statement"] = "My wording."
    response = editor_page.post(change_url(claim), data)

    assert response.status_code == 200
    assert "Someone changed this claim since you opened it" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.statement, claim.quote) == ("Old wording.", "a colleague's quote")


def test_saving_an_unchanged_page_works(editor_page):
    claim = ClaimFactory(statement="Old wording.")
    data = form_data(editor_page.get(change_url(claim)))
    data["statement"] = "New wording."
    assert editor_page.post(change_url(claim), data).status_code == 302
    assert Claim.objects.get(pk=claim.pk).statement == "New wording."


def test_status_and_assignee_are_not_edited_on_the_form(editor_page, fact_checker):
    claim = ClaimFactory()
    data = form_data(editor_page.get(change_url(claim)))
    data.update(status=S.PUBLISHED, assignee=fact_checker.pk)
    assert editor_page.post(change_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.assignee) == (S.NEW, None)


# My work, comments and the log -------------------------------------------------------------------------------------


def test_my_work_filters(editor, editor_page):
    assigned = ClaimFactory(status=S.RESEARCHING, assignee=editor)
    mine_in_review = draft_in_review(author=editor).claim  # assigned to its author, and not for them to review
    awaiting = draft_in_review().claim
    assert set(editor_page.get(CLAIMS, {"mine": "assigned"}).context["cl"].result_list) == {assigned, mine_in_review}
    assert list(editor_page.get(CLAIMS, {"mine": "review"}).context["cl"].result_list) == [awaiting]


def test_a_comment_is_added_on_the_claim_page_and_earlier_ones_are_read_only(fact_checker, fact_checker_page):
    claim = ClaimFactory()
    Comment.objects.create(claim=claim, author=StaffFactory(), body="Earlier note.")
    response = fact_checker_page.get(change_url(claim))
    page = response.content.decode()
    assert "Earlier note." in page
    assert 'name="comments-0-body"' not in page

    data = form_data(response)
    data["comments-1-body"] = "Called the ministry; no answer yet."
    assert fact_checker_page.post(change_url(claim), data).status_code == 302

    added = Comment.objects.latest("id")
    assert (added.body, added.author) == ("Called the ministry; no answer yet.", fact_checker)
    assert Comment.objects.get(body="Earlier note.").body == "Earlier note."


def test_the_claim_page_shows_the_review_log(editor_page, editor):
    claim = claim_triage(claim=ClaimFactory(), actor=editor)
    page = editor_page.get(change_url(claim)).content.decode()
    assert "Review log" in page
    assert 'name="review_events-0-comment"' not in page
    assert ReviewEvent.objects.filter(claim=claim).count() == 1
