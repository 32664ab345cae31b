"""Reference data and links: questions, relations between claims, rating scales."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.db.models.functions import Lower
from django.utils import timezone

from claims.admin.forms import SMALL_TEXTAREA
from claims.models import ClaimRelation, Question, Rating, RatingScale
from claims.services import QUESTION_EDITABLE_FIELDS, question_create, question_update
from factcheck.admin_utils import LargeTableAdminMixin, ServiceErrorsMixin, ServiceSaveMixin

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest


@admin.register(Question)
class QuestionAdmin(ServiceErrorsMixin, ServiceSaveMixin, admin.ModelAdmin):
    service_fields = QUESTION_EDITABLE_FIELDS
    list_display = ["text", "kind", "unit", "cumulative"]
    list_filter = ["kind", "cumulative"]
    search_fields = ["text"]
    readonly_fields = ["created_at", "updated_at"]
    fields = ["text", "kind", "unit", "cumulative", "description", "created_at", "updated_at"]

    def service_create(self, request: HttpRequest, fields: dict[str, Any]) -> Question:
        return question_create(actor=request.user, **fields)

    def service_update(self, request: HttpRequest, obj: Question, fields: dict[str, Any]) -> Question:
        return question_update(question=obj, actor=request.user, **fields)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        # LOWER(text) LIKE '%term%' is what the trigram index question_text_trgm serves.
        return queryset.alias(text_lower=Lower("text")).filter(text_lower__contains=term.lower()), False


@admin.register(ClaimRelation)
class ClaimRelationAdmin(ServiceErrorsMixin, LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "from_claim", "kind", "to_claim", "origin", "state", "score"]
    list_filter = ["kind", "origin", "state"]
    list_select_related = ["from_claim", "to_claim"]
    ordering = ["-id"]
    sortable_by = []
    autocomplete_fields = ["from_claim", "to_claim"]
    readonly_fields = ["created_by", "created_at", "decided_by", "decided_at"]
    fields = [
        "from_claim",
        "kind",
        "to_claim",
        "origin",
        "state",
        "score",
        "explanation",
        "created_by",
        "created_at",
        "decided_by",
        "decided_at",
    ]

    def save_model(self, request: HttpRequest, obj: ClaimRelation, form: forms.ModelForm, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        if not change or "state" in form.changed_data:
            decided = obj.state != ClaimRelation.State.SUGGESTED
            obj.decided_by = request.user if decided else None
            obj.decided_at = timezone.now() if decided else None
        obj.full_clean()
        obj.save()


class RatingInline(admin.TabularInline):
    model = Rating
    fields = ["ordinal", "label", "slug", "bucket", "claimreview_value", "description"]
    prepopulated_fields = {"slug": ["label"]}
    formfield_overrides = SMALL_TEXTAREA
    ordering = ["-ordinal"]
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_default", "claimreview_best", "claimreview_worst"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RatingInline]
