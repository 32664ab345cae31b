"""Take one workflow step on a claim from the command line, through the same services as the admin and the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims import services
from claims.models import Claim
from factcheck.exceptions import Conflict

# Steps that need a form's worth of input (draft, reopen) are left to the admin and the API.
STEPS = ("triage", "dismiss", "mark-duplicate", "assign", "submit", "approve", "reject", "publish")


class Command(BaseCommand):
    help = "Take a workflow step on a claim as a desk member: " + ", ".join(STEPS) + "."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=STEPS)
        parser.add_argument("claim", type=int, help="The claim's id.")
        parser.add_argument("--as", dest="actor", required=True, help="Username of the desk member taking the step.")
        parser.add_argument("--comment", default="", help="Recorded in the review log (required for reject).")
        parser.add_argument("--assignee", help="Username, for assign.")
        parser.add_argument("--of", type=int, help="Id of the original claim, for mark-duplicate.")

    def handle(self, *args: Any, step: str, claim: int, actor: str, comment: str, **options: Any) -> None:
        users = get_user_model().objects
        try:
            user = users.get(username=actor)
            target = Claim.objects.get(pk=claim)
        except (users.model.DoesNotExist, Claim.DoesNotExist) as exc:
            raise CommandError(str(exc)) from None
        try:
            self._take(step, target, user, comment, options)
        except (Conflict, PermissionDenied) as exc:
            raise CommandError(str(getattr(exc, "message", exc)) or "Not allowed.") from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        target.refresh_from_db()
        self.stdout.write(f"Claim {target.pk}: {step} done; status {target.status}.")

    def _take(self, step: str, claim: Claim, user: Any, comment: str, options: dict[str, Any]) -> None:
        if step in ("triage", "dismiss"):
            getattr(services, f"claim_{step}")(claim=claim, actor=user, comment=comment)
        elif step == "mark-duplicate":
            if options["of"] is None:
                raise CommandError("mark-duplicate needs --of ID.")
            original = Claim.objects.filter(pk=options["of"]).first()
            if original is None:
                raise CommandError(f"No claim {options['of']}.")
            services.claim_mark_duplicate(claim=claim, actor=user, of=original, comment=comment)
        elif step == "assign":
            assignee = get_user_model().objects.filter(username=options["assignee"] or "").first()
            if assignee is None:
                raise CommandError("assign needs --assignee USERNAME of a desk member.")
            services.claim_assign(claim=claim, actor=user, assignee=assignee, comment=comment)
        elif step == "publish":
            services.claim_publish(claim=claim, actor=user, comment=comment)
        else:
            draft = services.claim_draft(claim=claim, transition=step)
            if step == "submit":
                services.verdict_submit(verdict=draft, actor=user, comment=comment)
            elif step == "approve":
                services.verdict_approve(verdict=draft, approver=user, comment=comment)
            else:
                services.verdict_reject(verdict=draft, actor=user, comment=comment)
