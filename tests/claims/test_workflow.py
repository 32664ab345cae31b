"""The review workflow's services: each step's roles, states and event, four-eyes approval, corrections, and the
database constraints that hold even when the services are bypassed.

The cast: `editor` and `fact_checker` (conftest), `second_editor` for the second pair of eyes. Tests that want every
step, role and status are parametrised over claims.workflow.TRANSITIONS, so a new step is covered by adding it there.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from claims import services
from claims.models import Claim, ClaimRelation, ClaimStatus, Comment, ReviewEvent, TransitionName, Verdict
from claims.snapshot import claim_snapshot
from claims.workflow import TRANSITIONS
from factcheck.exceptions import Conflict
from factcheck.roles import EDITOR
from tests.factories import (
    ClaimFactory,
    EditorFactory,
    EvidenceFactory,
    StaffFactory,
    UserFactory,
    VerdictFactory,
    default_rating,
    draft_in_review,
    published_verdict,
)

pytestmark = pytest.mark.django_db

S = ClaimStatus
T = TransitionName


@pytest.fixture
def second_editor():
    return EditorFactory(username="sam-second-editor")


def events(claim: Claim) -> list[tuple[str, str, str, str]]:
    return [
        (event.transition, event.from_status, event.to_status, event.actor.username)
        for event in ReviewEvent.objects.filter(claim=claim).select_related("actor").order_by("id")
    ]


def researching(author=None) -> Claim:
    claim = ClaimFactory(status=S.RESEARCHING, assignee=author)
    EvidenceFactory(claim=claim)
    return claim


# The table -------------------------------------------------------------------------------------------------------


def test_every_step_of_the_workflow_is_in_the_table_once():
    assert set(TRANSITIONS) == set(TransitionName)
    assert len({step.verb for step in TRANSITIONS.values()}) == len(TRANSITIONS)


def test_the_table_follows_the_design():
    moves = {name: (sorted(step.sources), step.target, step.role) for name, step in TRANSITIONS.items()}
    fc = "fact-checker"
    assert moves == {
        T.TRIAGE: (["new"], "triaged", EDITOR),
        T.DISMISS: (["new", "triaged"], "dismissed", EDITOR),
        T.MARK_DUPLICATE: (["new", "triaged"], "duplicate", EDITOR),
        T.ASSIGN: (["researching", "triaged"], "researching", EDITOR),
        T.DRAFT: (["researching"], None, fc),
        T.SUBMIT: (["researching"], "in_review", fc),
        T.APPROVE: (["in_review"], None, EDITOR),
        T.REJECT: (["in_review"], "researching", EDITOR),
        T.PUBLISH: (["in_review"], "published", EDITOR),
        T.REOPEN: (["published"], "in_review", EDITOR),
    }


# One call per step, with what it needs; `claim` is in a status the step allows.
def take(name: TransitionName, claim: Claim, user) -> object:
    draft = Verdict.objects.drafts().filter(claim=claim).first()
    if name == T.TRIAGE:
        return services.claim_triage(claim=claim, actor=user)
    if name == T.DISMISS:
        return services.claim_dismiss(claim=claim, actor=user)
    if name == T.MARK_DUPLICATE:
        return services.claim_mark_duplicate(claim=claim, actor=user, of=ClaimFactory())
    if name == T.ASSIGN:
        return services.claim_assign(claim=claim, actor=user, assignee=StaffFactory())
    if name == T.DRAFT:
        return services.verdict_draft(claim=claim, author=user, explanation="Records.", rating=default_rating())
    if name == T.SUBMIT:
        return services.verdict_submit(verdict=draft, actor=user)
    if name == T.APPROVE:
        return services.verdict_approve(verdict=draft, approver=user)
    if name == T.REJECT:
        return services.verdict_reject(verdict=draft, actor=user, comment="Needs a second source.")
    if name == T.PUBLISH:
        return services.verdict_publish(verdict=draft, actor=user)
    return services.claim_reopen(claim=claim, actor=user, correction_kind="update", correction_note="New figures.")


def claim_ready_for(name: TransitionName) -> Claim:
    """A claim in the first status the step allows, with what the step needs (a draft, an approval...)."""
    status = sorted(TRANSITIONS[name].sources)[0]
    if name == T.REOPEN:
        return published_verdict().claim
    if status == S.IN_REVIEW:
        draft = draft_in_review(author=StaffFactory())
        if name == T.PUBLISH:
            Verdict.objects.filter(pk=draft.pk).update(
                approver=EditorFactory(), approved_at=timezone.now(), claim_snapshot=claim_snapshot(draft.claim)
            )
        return draft.claim
    if name == T.SUBMIT:
        claim = researching()
        VerdictFactory(claim=claim)
        return claim
    return researching() if status == S.RESEARCHING else ClaimFactory(status=status)


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_each_step_moves_the_claim_and_logs_who_did_it(name, editor):
    claim = claim_ready_for(name)
    before = Claim.objects.get(pk=claim.pk)

    take(name, claim, editor)

    after = Claim.objects.get(pk=claim.pk)
    assert after.status == TRANSITIONS[name].to_status(before.status)
    assert after.updated_at > before.updated_at
    event = ReviewEvent.objects.get(claim=claim)
    assert (event.transition, event.from_status, event.to_status, event.actor) == (
        name,
        before.status,
        after.status,
        editor,
    )


@pytest.mark.parametrize("name", [name for name, step in TRANSITIONS.items() if step.role == EDITOR])
def test_fact_checkers_may_not_take_the_editors_steps(name, fact_checker):
    claim = claim_ready_for(name)
    before = Claim.objects.get(pk=claim.pk)

    with pytest.raises(PermissionDenied, match="Only editors"):
        take(name, claim, fact_checker)

    assert Claim.objects.get(pk=claim.pk).status == before.status
    assert not ReviewEvent.objects.filter(claim=claim).exists()


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_people_off_the_desk_may_take_no_step(name):
    claim = claim_ready_for(name)
    with pytest.raises(PermissionDenied):
        take(name, claim, UserFactory())


@pytest.mark.parametrize(
    ("name", "status"),
    [
        (name, status)
        for name, step in TRANSITIONS.items()
        for status in S.values
        if status not in step.sources and name not in (T.SUBMIT, T.APPROVE, T.REJECT, T.PUBLISH)
    ],
)
def test_a_step_from_a_status_it_does_not_leave_is_a_conflict_that_says_why(name, status, editor):
    claim = ClaimFactory(status=status)

    with pytest.raises(Conflict) as caught:
        take(name, claim, editor)

    assert caught.value.message.startswith(f"Claim {claim.pk} is {S(status).label.lower()}; ")
    assert Claim.objects.get(pk=claim.pk).status == status


def test_a_refusal_names_what_the_desk_can_do_next(fact_checker):
    claim = published_verdict().claim
    with pytest.raises(Conflict) as caught:
        services.verdict_draft(claim=claim, author=fact_checker)
    assert caught.value.message == (
        f"Claim {claim.pk} is published; only an editor can reopen it for a correction. "
        "Draft verdict needs a claim that is researching."
    )


@pytest.mark.parametrize("name", [T.SUBMIT, T.APPROVE, T.REJECT, T.PUBLISH])
def test_steps_on_the_draft_find_it_from_the_claim_and_refuse_when_there_is_none(name):
    claim = ClaimFactory(status=sorted(TRANSITIONS[name].sources)[0])
    with pytest.raises(Conflict, match=f"Claim {claim.pk} has no draft verdict"):
        services.claim_draft(claim=claim, transition=name)


# Triage ----------------------------------------------------------------------------------------------------------


def test_marking_a_duplicate_records_a_confirmed_relation(editor):
    original, claim = ClaimFactory(), ClaimFactory()

    services.claim_mark_duplicate(claim=claim, actor=editor, of=original, comment="Same figure, same speaker.")

    relation = ClaimRelation.objects.get()
    assert (relation.from_claim, relation.to_claim, relation.kind, relation.state, relation.decided_by) == (
        claim,
        original,
        "duplicate_of",
        "confirmed",
        editor,
    )
    assert events(claim) == [("mark_duplicate", "new", "duplicate", editor.username)]


def test_marking_a_duplicate_confirms_a_detectors_suggestion(editor):
    original, claim = ClaimFactory(), ClaimFactory()
    ClaimRelation.objects.create(from_claim=claim, to_claim=original, kind="duplicate_of", origin="detector", score=0.9)

    services.claim_mark_duplicate(claim=claim, actor=editor, of=original)

    relation = ClaimRelation.objects.get()
    assert (relation.origin, relation.state, relation.decided_by) == ("detector", "confirmed", editor)


@pytest.mark.parametrize("of", ["self", "duplicate"])
def test_a_claim_is_not_a_duplicate_of_itself_or_of_another_duplicate(of, editor):
    claim = ClaimFactory()
    target = claim if of == "self" else ClaimFactory(status=S.DUPLICATE)
    with pytest.raises(ValidationError) as caught:
        services.claim_mark_duplicate(claim=claim, actor=editor, of=target)
    assert "of" in caught.value.message_dict
    assert Claim.objects.get(pk=claim.pk).status == S.NEW


def test_assigning_sets_the_assignee_and_can_reassign(editor, fact_checker):
    claim = ClaimFactory(status=S.TRIAGED)
    other = StaffFactory()

    services.claim_assign(claim=claim, actor=editor, assignee=fact_checker)
    services.claim_assign(claim=claim, actor=editor, assignee=other, comment="Fred is away.")

    claim.refresh_from_db()
    assert (claim.status, claim.assignee) == (S.RESEARCHING, other)
    assert [e[:3] for e in events(claim)] == [
        ("assign", "triaged", "researching"),
        ("assign", "researching", "researching"),
    ]


def test_only_a_desk_member_can_be_assigned(editor):
    claim = ClaimFactory(status=S.TRIAGED)
    with pytest.raises(ValidationError) as caught:
        services.claim_assign(claim=claim, actor=editor, assignee=UserFactory())
    assert "assignee" in caught.value.message_dict


# Drafting and review ---------------------------------------------------------------------------------------------


def test_a_fact_checker_edits_the_draft_field_by_field(fact_checker):
    claim = researching(fact_checker)
    draft = services.verdict_draft(claim=claim, author=fact_checker, summary="First try.", explanation="Why.")

    services.verdict_update(verdict=draft, actor=fact_checker, summary="Second try.")

    draft.refresh_from_db()
    assert (draft.summary, draft.explanation, draft.version, draft.author) == ("Second try.", "Why.", 1, fact_checker)
    assert [e[0] for e in events(claim)] == ["draft", "draft"]


@pytest.mark.parametrize("field", ["version", "author", "approver", "approved_at", "published_at", "claim"])
def test_the_workflow_fields_of_a_draft_cannot_be_written_by_the_drafting_services(field, fact_checker, editor):
    claim = researching(fact_checker)
    value = {"version": 7, "author": editor, "approver": editor, "claim": ClaimFactory()}.get(field, timezone.now())
    with pytest.raises((ValidationError, TypeError)):
        services.verdict_draft(claim=claim, author=fact_checker, **{field: value})
    draft = services.verdict_draft(claim=claim, author=fact_checker)
    with pytest.raises(ValidationError):
        services.verdict_update(verdict=draft, actor=fact_checker, **{field: value})
    draft.refresh_from_db()
    assert (draft.version, draft.author, draft.approver, draft.published_at) == (1, fact_checker, None, None)


def test_a_submitted_draft_is_not_edited_until_it_is_rejected(fact_checker, editor):
    draft = draft_in_review(author=fact_checker)
    with pytest.raises(Conflict, match="is in review"):
        services.verdict_update(verdict=draft, actor=fact_checker, summary="Sneaky.")

    services.verdict_reject(verdict=draft, actor=editor, comment="Say which register.")
    services.verdict_update(verdict=draft, actor=fact_checker, summary="Register 2024.")

    assert Verdict.objects.get(pk=draft.pk).summary == "Register 2024."
    assert Claim.objects.get(pk=draft.claim_id).status == S.RESEARCHING


def test_submitting_needs_a_rating_an_explanation_and_evidence(fact_checker):
    claim = ClaimFactory(status=S.RESEARCHING)
    draft = services.verdict_draft(claim=claim, author=fact_checker)
    with pytest.raises(ValidationError) as caught:
        services.verdict_submit(verdict=draft, actor=fact_checker)
    assert set(caught.value.message_dict) == {"rating", "explanation", "evidence"}
    assert Claim.objects.get(pk=claim.pk).status == S.RESEARCHING


def test_rejecting_needs_a_reason_and_withdraws_an_approval(editor, second_editor):
    draft = draft_in_review()
    services.verdict_approve(verdict=draft, approver=editor)
    with pytest.raises(ValidationError) as caught:
        services.verdict_reject(verdict=draft, actor=second_editor, comment="  ")
    assert "comment" in caught.value.message_dict

    services.verdict_reject(verdict=draft, actor=second_editor, comment="The count changed today.")

    draft.refresh_from_db()
    assert (draft.approver, draft.approved_at) == (None, None)
    event = ReviewEvent.objects.filter(claim=draft.claim).latest("id")
    assert (event.transition, event.verdict, event.comment) == ("reject", draft, "The count changed today.")


def test_nobody_approves_a_draft_they_edited(fact_checker, editor, second_editor):
    claim = researching(fact_checker)
    draft = services.verdict_draft(claim=claim, author=fact_checker, rating=default_rating(), explanation="x")
    services.verdict_update(verdict=draft, actor=editor, explanation="Better wording by the editor.")
    services.verdict_submit(verdict=draft, actor=fact_checker)

    with pytest.raises(PermissionDenied, match="Nobody approves their own verdict"):
        services.verdict_approve(verdict=draft, approver=editor)
    services.verdict_approve(verdict=draft, approver=second_editor)

    assert Verdict.objects.get(pk=draft.pk).approver == second_editor


def test_a_draft_is_approved_once(editor, second_editor):
    draft = draft_in_review()
    services.verdict_approve(verdict=draft, approver=editor)
    with pytest.raises(Conflict, match="already approved"):
        services.verdict_approve(verdict=draft, approver=second_editor)


def test_the_whole_way_from_new_to_published(editor, second_editor, fact_checker):
    claim = ClaimFactory()
    services.claim_triage(claim=claim, actor=editor)
    services.claim_assign(claim=claim, actor=editor, assignee=fact_checker)
    EvidenceFactory(claim=claim)
    draft = services.verdict_draft(claim=claim, author=fact_checker, rating=default_rating(), explanation="Records.")
    services.verdict_submit(verdict=draft, actor=fact_checker)
    services.verdict_approve(verdict=draft, approver=editor)
    services.claim_publish(claim=claim, actor=second_editor)

    assert list(Claim.objects.published()) == [claim]
    assert events(claim) == [
        ("triage", "new", "triaged", editor.username),
        ("assign", "triaged", "researching", editor.username),
        ("draft", "researching", "researching", fact_checker.username),
        ("submit", "researching", "in_review", fact_checker.username),
        ("approve", "in_review", "in_review", editor.username),
        ("publish", "in_review", "published", second_editor.username),
    ]


# Corrections -----------------------------------------------------------------------------------------------------


def test_a_correction_keeps_the_old_version_public_until_it_is_published(editor, second_editor):
    old = published_verdict(summary="Ten.")
    claim = old.claim

    correction = services.claim_reopen(
        claim=claim, actor=editor, correction_kind="rating_changed", correction_note="We misread the table."
    )

    assert Claim.objects.get(pk=claim.pk).status == S.IN_REVIEW
    assert list(Claim.objects.published()) == [claim]
    assert list(Verdict.objects.current()) == [old]
    assert (correction.version, correction.summary, correction.rating, correction.author) == (
        2,
        "Ten.",
        old.rating,
        editor,
    )

    with pytest.raises(PermissionDenied):
        services.verdict_approve(verdict=correction, approver=editor)
    services.verdict_approve(verdict=correction, approver=second_editor)
    services.verdict_publish(verdict=correction, actor=editor)

    old.refresh_from_db()
    assert old.superseded_at == Verdict.objects.get(pk=correction.pk).published_at
    assert list(Verdict.objects.current()) == [correction]
    assert Claim.objects.get(pk=claim.pk).status == S.PUBLISHED


def test_a_correction_needs_a_public_note_and_a_kind(editor):
    claim = published_verdict().claim
    with pytest.raises(ValidationError) as caught:
        services.claim_reopen(claim=claim, actor=editor, correction_kind="update", correction_note=" ")
    assert "correction_note" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.claim_reopen(claim=claim, actor=editor, correction_kind="", correction_note="Why.")
    assert "correction_kind" in caught.value.message_dict
    assert not Verdict.objects.drafts().exists()


def test_a_void_correction_withdraws_the_rating(editor, second_editor):
    claim = published_verdict().claim
    void = services.claim_reopen(
        claim=claim, actor=editor, correction_kind="void", correction_note="The claim was misattributed."
    )
    services.verdict_approve(verdict=void, approver=second_editor)
    services.claim_publish(claim=claim, actor=second_editor)
    assert Verdict.objects.current().get().rating is None


def test_as_of_answers_which_version_was_current(editor, second_editor):
    earlier = timezone.now() - dt.timedelta(days=2)
    old = published_verdict(approved_at=earlier, published_at=earlier)
    correction = services.claim_reopen(
        claim=old.claim, actor=editor, correction_kind="update", correction_note="Newer figures."
    )
    services.verdict_approve(verdict=correction, approver=second_editor)
    services.verdict_publish(verdict=correction, actor=second_editor)

    yesterday = timezone.now() - dt.timedelta(days=1)
    assert list(Verdict.objects.as_of(yesterday)) == [old]
    assert list(Verdict.objects.as_of(timezone.now())) == [correction]
    assert list(Claim.objects.published_as_of(yesterday)) == [old.claim]
    assert not Claim.objects.published_as_of(earlier - dt.timedelta(seconds=1)).exists()


# My work ---------------------------------------------------------------------------------------------------------


def test_awaiting_my_review_lists_drafts_in_review_that_others_wrote(editor, second_editor):
    mine = draft_in_review(author=editor)
    theirs = draft_in_review(author=second_editor)
    researching()

    assert list(Claim.objects.awaiting_review_by(editor)) == [theirs.claim]
    assert list(Claim.objects.awaiting_review_by(second_editor)) == [mine.claim]


def test_nothing_awaits_the_review_of_a_fact_checker(fact_checker):
    draft_in_review()
    assert not Claim.objects.awaiting_review_by(fact_checker).exists()


def test_assigned_to_me(fact_checker, editor):
    claim = ClaimFactory(status=S.TRIAGED)
    ClaimFactory(status=S.TRIAGED)
    services.claim_assign(claim=claim, actor=editor, assignee=fact_checker)
    assert list(Claim.objects.assigned_to(fact_checker)) == [claim]


# Comments --------------------------------------------------------------------------------------------------------


def test_desk_members_comment_and_others_may_not(fact_checker):
    claim = ClaimFactory()
    comment = services.comment_add(claim=claim, author=fact_checker, body="  Call the ministry.  ")
    assert (comment.body, comment.author) == ("Call the ministry.", fact_checker)
    with pytest.raises(PermissionDenied):
        services.comment_add(claim=claim, author=UserFactory(), body="Hello.")
    with pytest.raises(ValidationError):
        services.comment_add(claim=claim, author=fact_checker, body="   ")
    assert Comment.objects.count() == 1


# What the database holds even when the services are bypassed -----------------------------------------------------


def test_the_database_refuses_an_approval_by_the_author_whatever_the_path():
    verdict = VerdictFactory()
    with pytest.raises(IntegrityError, match="verdict_approver_not_author"), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).update(
            approver=verdict.author, approved_at=timezone.now(), claim_snapshot=claim_snapshot(verdict.claim)
        )
    with (
        pytest.raises(IntegrityError, match="verdict_approver_not_author"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE claims_verdict SET approver_id = author_id, approved_at = now(), claim_snapshot = '{}' "
            "WHERE id = %s",
            [verdict.pk],
        )
    assert Verdict.objects.get(pk=verdict.pk).approver is None


def test_the_database_allows_one_draft_per_claim():
    draft = VerdictFactory()
    with pytest.raises(IntegrityError, match="verdict_one_draft_per_claim"), transaction.atomic():
        Verdict.objects.bulk_create(
            [Verdict(claim=draft.claim, version=2, author=draft.author, correction_kind="update")]
        )


def test_the_review_log_cannot_be_changed_or_deleted(editor):
    claim = services.claim_triage(claim=ClaimFactory(), actor=editor)
    event = ReviewEvent.objects.get(claim=claim)

    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        ReviewEvent.objects.filter(pk=event.pk).update(comment="Rewritten.")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        ReviewEvent.objects.filter(pk=event.pk).delete()
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM claims_reviewevent WHERE id = %s", [event.pk])

    assert ReviewEvent.objects.get(pk=event.pk).comment == ""


def test_a_failed_step_leaves_no_event_behind(editor):
    claim = ClaimFactory(status=S.IN_REVIEW)
    VerdictFactory(claim=claim, rating=None)
    draft = Verdict.objects.get(claim=claim)
    Verdict.objects.filter(pk=draft.pk).update(
        approver=EditorFactory(), approved_at=timezone.now(), claim_snapshot=claim_snapshot(claim)
    )
    with pytest.raises(ValidationError):
        services.verdict_publish(verdict=draft, actor=editor)
    assert not ReviewEvent.objects.exists()
    assert Claim.objects.get(pk=claim.pk).status == S.IN_REVIEW
