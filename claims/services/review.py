"""The review workflow: one service per step of claims.workflow.TRANSITIONS, and the desk's internal comments.

Every step locks the claim's row first (and then its draft verdict's: always in that order, so two steps on one
claim queue up instead of deadlocking), checks the actor's role and the claim's status against the table, writes,
bumps the claim's updated_at (the source of its ETag, so a client holding the old one gets 412) and records a
ReviewEvent, all in one transaction. A refusal raises PermissionDenied (who the actor is), Conflict (the state the
claim or its draft is in) or ValidationError (what was sent, by field).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from claims.crossref.detect import EXCLUDED_STATUSES, claim_relations_refresh
from claims.models import (
    Claim,
    ClaimRelation,
    ClaimStatus,
    Comment,
    CorrectionKind,
    ReviewEvent,
    TransitionName,
    Verdict,
)
from claims.snapshot import claim_snapshot
from claims.workflow import TRANSITIONS, Transition
from factcheck.exceptions import Conflict
from factcheck.roles import is_desk_member

T = TransitionName

# What a draft's author may write; version, authorship, approval and publication belong to the workflow.
VERDICT_EDITABLE_FIELDS = ("rating", "summary", "explanation", "correction_kind", "correction_note")


def _refuse_unknown(fields: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))


def _begin(name: TransitionName, claim_id: int, actor: Any) -> tuple[Transition, Claim]:
    """Check the actor's role, lock the claim and check its status; the locked claim is the one to change."""
    step = TRANSITIONS[name]
    if not step.role_allows(actor):
        raise PermissionDenied(step.role_refusal())
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    if not step.status_allows(claim.status):
        raise Conflict(step.state_refusal(claim))
    return step, claim


def _finish(
    step: Transition,
    claim: Claim,
    actor: Any,
    *,
    verdict: Verdict | None = None,
    comment: str = "",
    fields: Iterable[str] = (),
) -> ReviewEvent:
    """Move the claim to the step's status (saving `fields` too and bumping updated_at) and record the event."""
    from_status = claim.status
    claim.status = step.to_status(from_status)
    claim.save(update_fields=["status", *fields, "updated_at"])
    event = ReviewEvent(
        claim=claim,
        verdict=verdict,
        actor=actor,
        transition=step.name,
        from_status=from_status,
        to_status=claim.status,
        comment=comment.strip(),
    )
    event.full_clean()
    event.save()
    if (from_status in EXCLUDED_STATUSES) != (claim.status in EXCLUDED_STATUSES):
        # A dismissed claim or a duplicate answers nothing: its detector suggestions go (or come back).
        claim_relations_refresh(claim=claim)
    return event


def _lock_draft(verdict_id: int, claim: Claim) -> Verdict:
    verdict = Verdict.objects.select_for_update().get(pk=verdict_id)
    if verdict.claim_id != claim.pk:
        raise Conflict(f"Verdict {verdict_id} is not a verdict on claim {claim.pk}.")
    if verdict.published_at is not None:
        raise Conflict(
            f"Version {verdict.version} of the verdict on claim {claim.pk} is published and is never changed; "
            "an editor reopens the claim to correct it with a new version."
        )
    return verdict


def _open_draft(claim: Claim) -> Verdict | None:
    return Verdict.objects.filter(claim=claim, published_at__isnull=True).first()


def claim_draft(*, claim: Claim, transition: str) -> Verdict:
    """The claim's draft verdict, which `transition` (submit, approve, reject, publish) acts on.

    Refuses as the step itself would: first for the claim's status, then because there is no draft.
    """
    step = TRANSITIONS[TransitionName(transition)]
    if not step.status_allows(claim.status):
        raise Conflict(step.state_refusal(claim))
    draft = _open_draft(claim)
    if draft is None:
        raise Conflict(f"Claim {claim.pk} has no draft verdict to {step.label.lower()}.")
    return draft


def _check_complete(verdict: Verdict, claim: Claim) -> None:
    """What a verdict needs before review and publication: a rating (unless it is void), an explanation, evidence."""
    problems: dict[str, str] = {}
    if verdict.rating_id is None and verdict.correction_kind != CorrectionKind.VOID:
        problems["rating"] = "A published verdict needs a rating."
    if not verdict.explanation.strip():
        problems["explanation"] = "A published verdict needs an explanation."
    if not claim.evidence.exists():
        problems["evidence"] = "A published verdict rests on at least one piece of evidence."
    if problems:
        raise ValidationError(problems)


# Triage ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def claim_triage(*, claim: Claim, actor: Any, comment: str = "") -> Claim:
    step, claim = _begin(T.TRIAGE, claim.pk, actor)
    _finish(step, claim, actor, comment=comment)
    return claim


@transaction.atomic
def claim_dismiss(*, claim: Claim, actor: Any, comment: str = "") -> Claim:
    step, claim = _begin(T.DISMISS, claim.pk, actor)
    _finish(step, claim, actor, comment=comment)
    return claim


@transaction.atomic
def claim_mark_duplicate(*, claim: Claim, actor: Any, of: Claim, comment: str = "") -> Claim:
    """Mark `claim` a duplicate of `of`, confirming a detector's suggestion of that link if there is one."""
    step, claim = _begin(T.MARK_DUPLICATE, claim.pk, actor)
    if of.pk == claim.pk:
        raise ValidationError({"of": "A claim cannot be a duplicate of itself."})
    original = Claim.objects.get(pk=of.pk)
    if original.status == ClaimStatus.DUPLICATE:
        raise ValidationError(
            {"of": f"Claim {original.pk} is itself a duplicate; mark this claim a duplicate of the original."}
        )
    now = timezone.now()
    relation = ClaimRelation.objects.filter(
        from_claim=claim, to_claim=original, kind=ClaimRelation.Kind.DUPLICATE_OF
    ).first() or ClaimRelation(
        from_claim=claim, to_claim=original, kind=ClaimRelation.Kind.DUPLICATE_OF, created_by=actor
    )
    relation.state = ClaimRelation.State.CONFIRMED
    relation.decided_by, relation.decided_at = actor, now
    relation.full_clean()
    relation.save()
    _finish(step, claim, actor, comment=comment)
    return claim


@transaction.atomic
def claim_assign(*, claim: Claim, actor: Any, assignee: Any, comment: str = "") -> Claim:
    step, claim = _begin(T.ASSIGN, claim.pk, actor)
    if not is_desk_member(assignee):
        raise ValidationError({"assignee": f"{assignee} is not on the desk: only fact-checkers and editors research."})
    claim.assignee = assignee
    _finish(step, claim, actor, comment=comment, fields=["assignee"])
    return claim


# Drafting --------------------------------------------------------------------------------------------------------


def _next_version(claim: Claim) -> int:
    return (Verdict.objects.filter(claim=claim).aggregate(top=Max("version"))["top"] or 0) + 1


@transaction.atomic
def verdict_draft(*, claim: Claim, author: Any, comment: str = "", **fields: Any) -> Verdict:
    """Start the claim's draft verdict: the next version, written by `author`."""
    _refuse_unknown(fields, VERDICT_EDITABLE_FIELDS)
    step, claim = _begin(T.DRAFT, claim.pk, author)
    if _open_draft(claim) is not None:
        raise Conflict("This claim already has an unpublished verdict draft; edit that one.")
    verdict = Verdict(claim=claim, version=_next_version(claim), author=author, **fields)
    verdict.full_clean()
    verdict.save()
    _finish(step, claim, author, verdict=verdict, comment=comment)
    return verdict


@transaction.atomic
def verdict_update(*, verdict: Verdict, actor: Any, comment: str = "", **fields: Any) -> Verdict:
    """Change the fields given of a draft being researched; a submitted draft is changed only after a rejection."""
    _refuse_unknown(fields, VERDICT_EDITABLE_FIELDS)
    step, claim = _begin(T.DRAFT, verdict.claim_id, actor)
    verdict = _lock_draft(verdict.pk, claim)
    for name, value in fields.items():
        setattr(verdict, name, value)
    verdict.full_clean()
    verdict.save(update_fields=[*fields, "updated_at"])
    _finish(step, claim, actor, verdict=verdict, comment=comment)
    return verdict


@transaction.atomic
def verdict_submit(*, verdict: Verdict, actor: Any, comment: str = "") -> Verdict:
    step, claim = _begin(T.SUBMIT, verdict.claim_id, actor)
    verdict = _lock_draft(verdict.pk, claim)
    _check_complete(verdict, claim)
    _finish(step, claim, actor, verdict=verdict, comment=comment)
    return verdict


# Review ----------------------------------------------------------------------------------------------------------


def _has_written(verdict: Verdict, user: Any) -> bool:
    # The database refuses approver = author (verdict_approver_not_author); editing someone else's draft makes its
    # words partly yours too, which only the review log can tell.
    return verdict.author_id == user.pk or (
        ReviewEvent.objects.filter(verdict=verdict, actor=user, transition__in=[T.DRAFT, T.REOPEN]).exists()
    )


@transaction.atomic
def verdict_approve(*, verdict: Verdict, approver: Any, comment: str = "") -> Verdict:
    step, claim = _begin(T.APPROVE, verdict.claim_id, approver)
    verdict = _lock_draft(verdict.pk, claim)
    if verdict.approved_at is not None:
        raise Conflict(f"The draft verdict on claim {claim.pk} is already approved; an editor publishes it.")
    if _has_written(verdict, approver):
        raise PermissionDenied("Nobody approves their own verdict: a second person, who did not write it, must.")
    verdict.approver = approver
    verdict.approved_at = timezone.now()
    # What the approver approves is the verdict *and the claim it is on*: readers are shown this snapshot with the
    # version, never the claim's live rows. Taken under the claim's row lock, and every edit of the claim or its
    # parts bumps the claim's ETag, so an approval over the API (If-Match) captures exactly the state the approver
    # read; an edit that raced it answers 412 to one of them.
    verdict.claim_snapshot = claim_snapshot(claim)
    verdict.full_clean()
    verdict.save(update_fields=["approver", "approved_at", "claim_snapshot", "updated_at"])
    _finish(step, claim, approver, verdict=verdict, comment=comment)
    return verdict


@transaction.atomic
def verdict_reject(*, verdict: Verdict, actor: Any, comment: str) -> Verdict:
    """Send the draft back to research with the reason; an approval it had no longer holds."""
    step, claim = _begin(T.REJECT, verdict.claim_id, actor)
    if not comment.strip():
        raise ValidationError({"comment": "Say what the draft needs, for whoever researches it next."})
    verdict = _lock_draft(verdict.pk, claim)
    verdict.approver, verdict.approved_at, verdict.claim_snapshot = None, None, None
    verdict.save(update_fields=["approver", "approved_at", "claim_snapshot", "updated_at"])
    _finish(step, claim, actor, verdict=verdict, comment=comment)
    return verdict


@transaction.atomic
def verdict_publish(*, verdict: Verdict, actor: Any, comment: str = "") -> Verdict:
    """Publish the approved draft, with the claim as it was approved; the version it corrects is superseded at the
    same instant.

    Edits of the claim made after the approval are not published with it, and do not block it: readers get the
    snapshot the second person approved (verdict.claim_snapshot), and the later edits wait, visible to the desk,
    for the next correction to be reviewed. Refusing with 409 instead would let any edit, however small, hold a
    reviewed verdict back until someone re-approves it, and would publish nothing more than the snapshot anyway.
    """
    step, claim = _begin(T.PUBLISH, verdict.claim_id, actor)
    verdict = _lock_draft(verdict.pk, claim)
    if verdict.approved_at is None:
        raise Conflict(
            f"The draft verdict on claim {claim.pk} is not approved. "
            "A second person must approve the verdict before it is published."
        )
    _check_complete(verdict, claim)
    now = timezone.now()
    Verdict.objects.filter(claim=claim, published_at__isnull=False, superseded_at__isnull=True).update(
        superseded_at=now, updated_at=now
    )
    verdict.published_at = now
    verdict.save(update_fields=["published_at", "updated_at"])
    _finish(step, claim, actor, verdict=verdict, comment=comment)
    return verdict


@transaction.atomic
def claim_publish(*, claim: Claim, actor: Any, comment: str = "") -> Verdict:
    """Publish the claim's approved draft verdict (verdict_publish, starting from the claim)."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    return verdict_publish(verdict=claim_draft(claim=claim, transition=T.PUBLISH), actor=actor, comment=comment)


# Corrections -----------------------------------------------------------------------------------------------------


@transaction.atomic
def claim_reopen(
    *, claim: Claim, actor: Any, correction_kind: str, correction_note: str, comment: str = "", **fields: Any
) -> Verdict:
    """Start a correction: a new draft version, by default with the current version's rating and words, goes to review.

    The current version stays current, and the claim public, until the correction is published.
    """
    _refuse_unknown(fields, ("rating", "summary", "explanation"))
    step, claim = _begin(T.REOPEN, claim.pk, actor)
    problems = {}
    if not correction_kind:
        problems["correction_kind"] = "Say what kind of correction this is."
    if not correction_note.strip():
        problems["correction_note"] = "A correction tells readers what changed and why."
    if problems:
        raise ValidationError(problems)
    if _open_draft(claim) is not None:
        raise Conflict("This claim already has an unpublished verdict draft; edit that one.")
    current = Verdict.objects.current().filter(claim=claim).first()
    if current is not None:
        fields.setdefault("rating", None if correction_kind == CorrectionKind.VOID else current.rating)
        fields.setdefault("summary", current.summary)
        fields.setdefault("explanation", current.explanation)
    verdict = Verdict(
        claim=claim,
        version=_next_version(claim),
        author=actor,
        correction_kind=correction_kind,
        correction_note=correction_note.strip(),
        **fields,
    )
    verdict.full_clean()
    verdict.save()
    _finish(step, claim, actor, verdict=verdict, comment=comment)
    return verdict


# Internal comments -----------------------------------------------------------------------------------------------


@transaction.atomic
def comment_add(*, claim: Claim, author: Any, body: str) -> Comment:
    """An internal note on the claim. It is not part of the claim's representation, so the ETag stays."""
    if not is_desk_member(author):
        raise PermissionDenied("Only fact-checkers and editors comment on claims.")
    comment = Comment(claim=claim, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment
