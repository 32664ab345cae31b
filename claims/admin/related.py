"""The claim page's "Possible duplicates and related claims" panel, with a "merge as duplicate" button per candidate.

Self-contained: ClaimAdmin mixes RelatedClaimsAdminMixin in, and the claim's change form template includes the
panel. The button posts to its own URL (outside the change form, so it never submits unsaved edits) with the
version of the claim the page showed, like the workflow buttons (factcheck.admin_utils.TransitionAdminMixin): the
merge is the workflow's mark-duplicate step (claims.services.claim_mark_duplicate), taken on the locked claim only
if it did not change since, and the service's refusals (not an editor, a claim past triage, an original that is
itself a duplicate) come back as messages on the claim's page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from claims.models import Claim, Verdict
from claims.models import TransitionName as T
from claims.related import NOT_ORIGINALS, Subject, find_related
from claims.workflow import TRANSITIONS
from factcheck.admin_utils import LOADED_VERSION, object_version

if TYPE_CHECKING:
    from django.urls import URLPattern

PANEL_SIZE = 10


class RelatedClaimsAdminMixin:
    """For ClaimAdmin (before TransitionAdminMixin, whose transitions and run_transition it uses)."""

    change_form_template = "admin/claims/claim/change_form.html"

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/merge-duplicate/",
                self.admin_site.admin_view(require_POST(self.merge_duplicate_view)),
                name=f"{opts.app_label}_{opts.model_name}_merge_duplicate",
            ),
            *super().get_urls(),
        ]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None and obj.pk is not None:
            context["related_panel"] = self.related_panel(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def related_panel(self, request: HttpRequest, claim: Claim) -> dict[str, Any]:
        """The claim's top candidates with their status and current rating, in a fixed number of queries."""
        matches = find_related(Subject.live(claim), readers=False, limit=PANEL_SIZE)
        current_label = Verdict.objects.current().filter(claim=OuterRef("pk")).order_by().values("rating__label")[:1]
        claims = {
            candidate.pk: candidate
            for candidate in Claim.objects.filter(pk__in=[match.claim_id for match in matches])
            .defer("search_vector")
            .annotate(current_rating_label=Subquery(current_label))
        }
        step = TRANSITIONS[T.MARK_DUPLICATE]
        may_merge = step.role_allows(request.user)
        if not may_merge:
            note = f"{step.role_refusal()} Ask an editor to merge a duplicate."
        elif not step.status_allows(claim.status):
            note = f"No merging from here: {step.state_refusal(claim)}"
        else:
            note = ""
        opts = self.model._meta
        rows = []
        for match in matches:
            candidate = claims.get(match.claim_id)
            if candidate is None:
                continue
            rows.append(
                {
                    "claim": candidate,
                    "url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change",
                        args=[candidate.pk],
                        current_app=self.admin_site.name,
                    ),
                    "score": match.score,
                    "kind": match.kind,
                    "reason": match.reason,
                    "mergeable": not note and candidate.status not in NOT_ORIGINALS,
                }
            )
        return {
            "rows": rows,
            "note": note,
            "merge_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_merge_duplicate",
                args=[claim.pk],
                current_app=self.admin_site.name,
            ),
        }

    def merge_duplicate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No claim with id {object_id!r}.")
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        change_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk], current_app=self.admin_site.name
        )
        raw = request.POST.get("of", "")
        readable = raw.isascii() and raw.isdigit() and len(raw) < 19  # "²" is a digit to str.isdigit, not to int()
        original = Claim.objects.defer("search_vector").filter(pk=int(raw)).first() if readable else None
        if original is None:
            self.message_user(request, f"{obj}: there is no claim {raw!r} to merge it into.", messages.ERROR)
            return HttpResponseRedirect(change_url)
        transition = self._transition(T.MARK_DUPLICATE)
        with transaction.atomic(using=router.db_for_write(self.model)):
            # Locked from the version check to the step, so nobody changes the claim in between.
            locked = Claim.objects.select_for_update().defer("search_vector").get(pk=obj.pk)
            loaded = request.POST.get(LOADED_VERSION)
            if loaded and loaded != object_version(locked):
                self.message_user(
                    request,
                    f"{obj}: it changed since you opened the page; look at it again before you merge it.",
                    messages.ERROR,
                )
            elif self.run_transition(
                request,
                transition,
                locked,
                of=original,
                comment=f"Merged into claim {original.pk} from the possible duplicates on the claim's page.",
            ):
                self.message_user(request, f"{obj}: marked a duplicate of claim {original.pk}.", messages.SUCCESS)
        return HttpResponseRedirect(change_url)
