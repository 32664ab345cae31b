"""The review workflow as one table: which step moves a claim from which statuses to which, and who may take it.

    new → triaged | dismissed | duplicate;  triaged → researching (assigned) → in_review (draft submitted)
    → published;  in_review → researching (rejected);  published → in_review (reopened for a correction)

The services check role and state against this table, the API builds its POST actions and their documentation
from it, and the admin its buttons; nothing else lists the steps. Conditions on the draft verdict (there is one,
it is approved, the approver did not write it) are the services' to check, because they need the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from claims.models import ClaimStatus, TransitionName
from factcheck.roles import EDITOR, FACT_CHECKER, is_editor, is_fact_checker

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from claims.models import Claim

S = ClaimStatus


@dataclass(frozen=True)
class Transition:
    name: TransitionName
    verb: str  # the URL segment of the API action: /api/v1/claims/{id}/<verb>/
    sources: frozenset[str]  # the statuses the claim may be in
    target: str | None  # the status it moves to; None leaves it where it is
    role: str  # roles.EDITOR, or roles.FACT_CHECKER for every desk member
    does: str  # what the step does, as a verb phrase: "Only editors <does>."
    description: str

    @property
    def label(self) -> str:
        return self.name.label

    def to_status(self, current: str) -> str:
        return self.target or current

    def role_allows(self, user: AbstractBaseUser | AnonymousUser | None) -> bool:
        return is_editor(user) if self.role == EDITOR else is_fact_checker(user)

    def status_allows(self, status: str) -> bool:
        return status in self.sources

    def role_refusal(self) -> str:
        who = "editors" if self.role == EDITOR else "fact-checkers and editors"
        return f"Only {who} {self.does}."

    def state_refusal(self, claim: Claim) -> str:
        status = ClaimStatus(claim.status)
        needed = " or ".join(ClaimStatus(source).label.lower() for source in sorted(self.sources))
        return (
            f"Claim {claim.pk} is {status.label.lower()}; {STATUS_HINTS[status]}. "
            f"{self.label} needs a claim that is {needed}."
        )


# What a desk member can do next with a claim in each status, for the messages of refused steps.
STATUS_HINTS: dict[str, str] = {
    S.NEW: "an editor triages it first",
    S.TRIAGED: "an editor assigns it to a fact-checker first",
    S.DISMISSED: "it was dismissed as not checkable",
    S.DUPLICATE: "it is a duplicate of another claim",
    S.RESEARCHING: "a fact-checker drafts a verdict and submits it first",
    S.IN_REVIEW: "its draft verdict is with an editor, who approves or rejects it",
    S.PUBLISHED: "only an editor can reopen it for a correction",
}

T = TransitionName

TRANSITIONS: dict[TransitionName, Transition] = {
    t.name: t
    for t in (
        Transition(
            T.TRIAGE,
            "triage",
            frozenset({S.NEW}),
            S.TRIAGED,
            EDITOR,
            "triage claims",
            "Accept a new claim as checkable, ready to be assigned.",
        ),
        Transition(
            T.DISMISS,
            "dismiss",
            frozenset({S.NEW, S.TRIAGED}),
            S.DISMISSED,
            EDITOR,
            "dismiss claims",
            "Dismiss a claim as not checkable (an opinion, a prediction); say why in `comment`.",
        ),
        Transition(
            T.MARK_DUPLICATE,
            "mark-duplicate",
            frozenset({S.NEW, S.TRIAGED}),
            S.DUPLICATE,
            EDITOR,
            "mark claims as duplicates",
            "Mark the claim a duplicate of the claim `of`, recorded as a confirmed duplicate_of relation.",
        ),
        Transition(
            T.ASSIGN,
            "assign",
            frozenset({S.TRIAGED, S.RESEARCHING}),
            S.RESEARCHING,
            EDITOR,
            "assign claims",
            "Assign a triaged claim to a desk member to research (or reassign one being researched).",
        ),
        Transition(
            T.DRAFT,
            "draft",
            frozenset({S.RESEARCHING}),
            None,
            FACT_CHECKER,
            "draft verdicts",
            "Create the claim's draft verdict, or change the fields sent of the draft it has.",
        ),
        Transition(
            T.SUBMIT,
            "submit",
            frozenset({S.RESEARCHING}),
            S.IN_REVIEW,
            FACT_CHECKER,
            "submit drafts for review",
            "Submit the draft verdict for review; it needs a rating, an explanation and evidence.",
        ),
        Transition(
            T.APPROVE,
            "approve",
            frozenset({S.IN_REVIEW}),
            None,
            EDITOR,
            "approve verdicts",
            "Approve the submitted draft: a second person, who neither wrote nor edited it.",
        ),
        Transition(
            T.REJECT,
            "reject",
            frozenset({S.IN_REVIEW}),
            S.RESEARCHING,
            EDITOR,
            "reject drafts",
            "Send the draft back to research, saying why in `comment`; an approval it had is withdrawn.",
        ),
        Transition(
            T.PUBLISH,
            "publish",
            frozenset({S.IN_REVIEW}),
            S.PUBLISHED,
            EDITOR,
            "publish verdicts",
            "Publish the approved draft; the version it corrects, if any, is superseded at the same instant.",
        ),
        Transition(
            T.REOPEN,
            "reopen",
            frozenset({S.PUBLISHED}),
            S.IN_REVIEW,
            EDITOR,
            "reopen published claims for a correction",
            "Start a correction: a new draft version with a correction kind and a public note goes to review. "
            "The published version stays current and public until the correction is published.",
        ),
    )
}


def transition(name: str) -> Transition:
    return TRANSITIONS[TransitionName(name)]
