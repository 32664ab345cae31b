"""`manage.py claim_step` takes workflow steps through the same services, with the same refusals."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, ClaimStatus, ReviewEvent
from tests.factories import ClaimFactory, draft_in_review

pytestmark = pytest.mark.django_db


def test_an_editor_triages_and_assigns_from_the_command_line(editor, fact_checker, capsys):
    claim = ClaimFactory(status=ClaimStatus.NEW)
    call_command("claim_step", "triage", str(claim.pk), "--as", editor.username, "--comment", "checkable")
    call_command("claim_step", "assign", str(claim.pk), "--as", editor.username, "--assignee", fact_checker.username)
    claim.refresh_from_db()
    assert (claim.status, claim.assignee) == (ClaimStatus.RESEARCHING, fact_checker)
    assert list(
        ReviewEvent.objects.filter(claim=claim).order_by("id").values_list("transition", "actor__username")
    ) == [
        ("triage", editor.username),
        ("assign", editor.username),
    ]
    assert "status researching" in capsys.readouterr().out


def test_a_fact_checker_cannot_triage(fact_checker):
    claim = ClaimFactory(status=ClaimStatus.NEW)
    with pytest.raises(CommandError, match="Only editors"):
        call_command("claim_step", "triage", str(claim.pk), "--as", fact_checker.username)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.NEW


def test_the_author_cannot_approve_their_own_draft_and_an_editor_can(editor):
    draft = draft_in_review()
    with pytest.raises(CommandError):
        call_command("claim_step", "approve", str(draft.claim_id), "--as", draft.author.username)
    draft.refresh_from_db()
    assert draft.approver is None
    call_command("claim_step", "approve", str(draft.claim_id), "--as", editor.username)
    call_command("claim_step", "publish", str(draft.claim_id), "--as", editor.username)
    draft.refresh_from_db()
    assert draft.approver == editor
    assert draft.published_at is not None


def test_a_step_that_does_not_fit_the_status_is_refused_with_the_reason(editor):
    claim = ClaimFactory(status=ClaimStatus.NEW)
    with pytest.raises(CommandError, match="needs a claim that is"):
        call_command("claim_step", "publish", str(claim.pk), "--as", editor.username)


def test_an_unknown_claim_or_user_is_a_clear_error(editor):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("claim_step", "triage", "999999", "--as", editor.username)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("claim_step", "triage", str(ClaimFactory().pk), "--as", "nobody-here")
