"""The review workflow in the admin: a button per step of claims.workflow.TRANSITIONS on the claim page (with a form
for the steps that need input), "my work" filters, the review log and the desk's internal comments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q

from claims.admin.forms import SMALL_TEXTAREA, ServiceFormSet
from claims.models import Claim, Comment, CorrectionKind, Rating, ReviewEvent, Verdict
from claims.models import TransitionName as T
from claims.services import (
    VERDICT_EDITABLE_FIELDS,
    claim_assign,
    claim_dismiss,
    claim_draft,
    claim_mark_duplicate,
    claim_reopen,
    claim_triage,
    comment_add,
    verdict_approve,
    verdict_draft,
    verdict_publish,
    verdict_reject,
    verdict_submit,
    verdict_update,
)
from claims.workflow import TRANSITIONS
from factcheck.admin_utils import Transition
from factcheck.roles import EDITOR, FACT_CHECKER

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest


def open_draft(claim: Claim) -> Verdict | None:
    """The claim's draft verdict, read once per page however many buttons ask."""
    if not hasattr(claim, "_admin_open_draft"):
        claim._admin_open_draft = Verdict.objects.drafts().filter(claim=claim).first()
    return claim._admin_open_draft


# Forms of the steps that need input ------------------------------------------------------------------------------


def _comment(required: bool = False, label: str = "comment") -> forms.CharField:
    return forms.CharField(
        required=required,
        label=label,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="For the review log; only the desk reads it.",
    )


def _desk_members() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=[EDITOR, FACT_CHECKER]) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


def _ratings() -> QuerySet:
    return Rating.objects.select_related("scale").order_by("scale__name", "-ordinal")


class CommentOnlyForm(forms.Form):
    comment = _comment()


class RejectForm(forms.Form):
    comment = _comment(required=True, label="what the draft needs")


class MarkDuplicateForm(forms.Form):
    of = forms.ModelChoiceField(
        queryset=Claim.objects.defer("search_vector"),
        widget=forms.NumberInput,
        label="duplicate of claim",
        help_text="Id of the original claim.",
    )
    comment = _comment()


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=_desk_members(), help_text="The desk member who researches the claim.")
    comment = _comment()


class DraftForm(forms.Form):
    rating = forms.ModelChoiceField(queryset=_ratings(), required=False)
    summary = forms.CharField(max_length=300, required=False)
    explanation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    correction_kind = forms.ChoiceField(
        choices=[("", "—"), *CorrectionKind.choices], required=False, help_text="Only on versions after the first."
    )
    correction_note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))
    comment = _comment()


class ReopenForm(DraftForm):
    correction_kind = forms.ChoiceField(choices=CorrectionKind.choices)
    correction_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}), help_text="Public: what changed and why."
    )


# What each step does in the admin; which claims and users it is for comes from the table -------------------------


def _draft_initial(claim: Claim) -> dict[str, Any]:
    draft = open_draft(claim)
    return {name: getattr(draft, name) for name in VERDICT_EDITABLE_FIELDS} if draft is not None else {}


def _reopen_initial(claim: Claim) -> dict[str, Any]:
    current = Verdict.objects.current().filter(claim=claim).first()
    if current is None:
        return {}
    return {"rating": current.rating, "summary": current.summary, "explanation": current.explanation}


def _draft(claim: Claim, user: Any, comment: str = "", **fields: Any) -> Verdict:
    draft = open_draft(claim)
    if draft is None:
        return verdict_draft(claim=claim, author=user, comment=comment, **fields)
    return verdict_update(verdict=draft, actor=user, comment=comment, **fields)


def _on_draft(step: T, service: Any, user_kwarg: str = "actor") -> Any:
    def perform(claim: Claim, user: Any, **data: Any) -> Verdict:
        return service(verdict=claim_draft(claim=claim, transition=step), **{user_kwarg: user}, **data)

    return perform


# name: (perform(claim, user, **form data), the form of a step that needs input, the form's initial values)
PERFORM = {
    T.TRIAGE: (lambda claim, user, **data: claim_triage(claim=claim, actor=user, **data), None, None),
    T.DISMISS: (lambda claim, user, **data: claim_dismiss(claim=claim, actor=user, **data), CommentOnlyForm, None),
    T.MARK_DUPLICATE: (
        lambda claim, user, **data: claim_mark_duplicate(claim=claim, actor=user, **data),
        MarkDuplicateForm,
        None,
    ),
    T.ASSIGN: (lambda claim, user, **data: claim_assign(claim=claim, actor=user, **data), AssignForm, None),
    T.DRAFT: (_draft, DraftForm, _draft_initial),
    T.SUBMIT: (_on_draft(T.SUBMIT, verdict_submit), None, None),
    T.APPROVE: (_on_draft(T.APPROVE, verdict_approve, "approver"), None, None),
    T.REJECT: (_on_draft(T.REJECT, verdict_reject), RejectForm, None),
    T.PUBLISH: (_on_draft(T.PUBLISH, verdict_publish), None, None),
    T.REOPEN: (lambda claim, user, **data: claim_reopen(claim=claim, actor=user, **data), ReopenForm, _reopen_initial),
}


def _applies(name: T) -> Any:
    """Whether to show the step's button: the claim's status allows it and, for steps on the draft, the draft does."""
    step = TRANSITIONS[name]

    def applies(claim: Claim, user: Any) -> bool:
        if not step.status_allows(claim.status):
            return False
        if name in (T.SUBMIT, T.REJECT):
            return open_draft(claim) is not None
        if name == T.APPROVE:
            draft = open_draft(claim)
            return draft is not None and draft.approved_at is None and draft.author_id != user.pk
        if name == T.PUBLISH:
            draft = open_draft(claim)
            return draft is not None and draft.approved_at is not None
        return True

    return applies


CLAIM_TRANSITIONS = [
    Transition(
        name=step.name,
        label=step.label,
        action_description=f"{step.label}: selected claims",
        perform=PERFORM[step.name][0],
        applies=_applies(step.name),
        form_class=PERFORM[step.name][1],
        initial=PERFORM[step.name][2] or (lambda obj: {}),
    )
    for step in TRANSITIONS.values()
]


class TableTransitionsMixin:
    """Who may take a step is the table's role for it."""

    def has_transition_permission(self, request: HttpRequest, transition: Transition, obj: Any = None) -> bool:
        return TRANSITIONS[T(transition.name)].role_allows(request.user)


# Lists -------------------------------------------------------------------------------------------------------------


class MyWorkFilter(admin.SimpleListFilter):
    title = "my work"
    parameter_name = "mine"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("assigned", "Assigned to me"), ("review", "Awaiting my review")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        if self.value() == "assigned":
            return queryset.assigned_to(request.user)
        if self.value() == "review":
            return queryset.awaiting_review_by(request.user)
        return None


# Inlines -----------------------------------------------------------------------------------------------------------


class ReviewEventInline(admin.TabularInline):
    """The review log: read-only here as everywhere (a trigger refuses changes)."""

    model = ReviewEvent
    fields = ["created_at", "transition", "from_status", "to_status", "actor", "verdict_version", "comment"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]
    extra = 0
    can_delete = False
    verbose_name_plural = "review log"

    @admin.display(description="verdict version")
    def verdict_version(self, obj: ReviewEvent) -> int | None:
        return obj.verdict.version if obj.verdict is not None else None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor", "verdict")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CommentFormSet(ServiceFormSet):
    def save_new(self, form: forms.ModelForm, commit: bool = True) -> Comment:
        return comment_add(claim=self.instance, author=self.actor, body=form.cleaned_data["body"])


class CommentInline(admin.TabularInline):
    """Internal comments: earlier ones read-only, new ones added through comment_add."""

    model = Comment
    formset = CommentFormSet
    fields = ["body", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    formfield_overrides = SMALL_TEXTAREA
    ordering = ["created_at", "id"]
    extra = 1
    can_delete = False
    verbose_name_plural = "internal comments (the desk only)"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
