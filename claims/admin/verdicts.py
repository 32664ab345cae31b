"""The verdict pages: drafts are edited here (through verdict_draft and verdict_update), approved and published
through workflow buttons and actions; approved and published versions are read-only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Q

from claims.admin.forms import VERDICT_DRAFT_FIELDS, VerdictForm
from claims.models import TransitionName, Verdict
from claims.services import verdict_approve, verdict_draft, verdict_publish, verdict_update
from claims.workflow import TRANSITIONS
from factcheck.admin_utils import (
    LargeTableAdminMixin,
    ServiceErrorsMixin,
    Transition,
    TransitionAdminMixin,
    adopt_saved_row,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest


def verdict_state(verdict: Verdict) -> str:
    if verdict.superseded_at is not None:
        return "superseded"
    if verdict.published_at is not None:
        return "published"
    if verdict.approved_at is not None:
        return "approved"
    return "draft"


class VerdictStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"
    STATES = {
        "draft": Q(approved_at__isnull=True, published_at__isnull=True),
        "approved": Q(approved_at__isnull=False, published_at__isnull=True),
        "published": Q(published_at__isnull=False, superseded_at__isnull=True),
        "superseded": Q(superseded_at__isnull=False),
    }

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("draft", "Draft"),
            ("approved", "Approved, not published"),
            ("published", "Published (current)"),
            ("superseded", "Superseded"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        condition = self.STATES.get(self.value() or "")
        return None if condition is None else queryset.filter(condition)


def _approve(verdict: Verdict, user: Any) -> Verdict:
    return verdict_approve(verdict=verdict, approver=user)


def _publish(verdict: Verdict, user: Any) -> Verdict:
    return verdict_publish(verdict=verdict, actor=user)


APPROVE, PUBLISH = TRANSITIONS[TransitionName.APPROVE], TRANSITIONS[TransitionName.PUBLISH]


@admin.register(Verdict)
class VerdictAdmin(ServiceErrorsMixin, TransitionAdminMixin, LargeTableAdminMixin, admin.ModelAdmin):
    form = VerdictForm
    list_display = ["__str__", "claim", "state", "rating", "author", "approver", "published_at"]
    list_filter = [VerdictStateFilter, "correction_kind"]
    list_select_related = ["claim", "rating", "author", "approver"]
    ordering = ["-id"]
    sortable_by = ["published_at"]
    search_fields = ["claim__id"]
    search_help_text = "Claim id."
    autocomplete_fields = ["claim"]
    fields = [
        "claim",
        "version",
        "rating",
        "summary",
        "explanation",
        "correction_kind",
        "correction_note",
        "author",
        "approver",
        "approved_at",
        "published_at",
        "superseded_at",
        "created_at",
        "updated_at",
    ]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 6, "cols": 80})}}
    transitions = [
        Transition(
            name=APPROVE.name,
            label=APPROVE.label,
            action_description="Approve selected drafts",
            perform=_approve,
            applies=lambda verdict, user: (
                verdict.approved_at is None and verdict.published_at is None and verdict.author_id != user.pk
            ),
        ),
        Transition(
            name=PUBLISH.name,
            label=PUBLISH.label,
            action_description="Publish selected approved verdicts",
            perform=_publish,
            applies=lambda verdict, user: verdict.approved_at is not None and verdict.published_at is None,
        ),
    ]

    def has_transition_permission(self, request: HttpRequest, transition: Transition, obj: Any = None) -> bool:
        return TRANSITIONS[TransitionName(transition.name)].role_allows(request.user)

    @admin.display(description="state")
    def state(self, obj: Verdict) -> str:
        return verdict_state(obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Verdict | None = None) -> list[str]:
        readonly = ["version", "author", "approver", "approved_at", "published_at", "superseded_at"]
        readonly += ["created_at", "updated_at"]
        return readonly if obj is None else ["claim", *readonly]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        if not (term.isdigit() and len(term) < 19):
            return queryset.none(), False
        return queryset.filter(claim_id=int(term)), False

    def has_change_permission(self, request: HttpRequest, obj: Verdict | None = None) -> bool:
        # A published verdict is history: a change is a new version (a correction), never an edit. An approved one
        # is what the second person signed off, so it is not edited either; it is published and, if need be,
        # corrected by a new version.
        if obj is not None and (obj.is_published or obj.approved_at is not None):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Verdict | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Verdict, form: forms.ModelForm, change: bool) -> None:
        if change:
            changed = {name: form.cleaned_data[name] for name in VERDICT_DRAFT_FIELDS if name in form.changed_data}
            adopt_saved_row(obj, verdict_update(verdict=obj, actor=request.user, **changed))
            return
        fields = {name: form.cleaned_data[name] for name in VERDICT_DRAFT_FIELDS}
        adopt_saved_row(obj, verdict_draft(claim=form.cleaned_data["claim"], author=request.user, **fields))
