"""Reference data and links: questions, relations between claims, rating scales."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from claims.admin.crossref import question_panel
from claims.admin.forms import SMALL_TEXTAREA
from claims.models import ClaimRelation, Question, Rating, RatingScale
from claims.services import (
    QUESTION_EDITABLE_FIELDS,
    question_create,
    question_update,
    relation_confirm,
    relation_dismiss,
)
from factcheck.admin_utils import LargeTableAdminMixin, ServiceErrorsMixin, ServiceSaveMixin, error_text
from factcheck.roles import is_editor

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

    change_form_template = "admin/claims/question/change_form.html"

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        # Only when the page is drawn (not on a save that redirects), from the object the admin already loaded.
        if obj is not None and obj.pk is not None:
            context["cross_reference"] = question_panel(obj, request)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

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

    actions = ["confirm_selected", "dismiss_selected"]

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:relation_id>/decide/<slug:decision>/",
                self.admin_site.admin_view(require_POST(self.decide_view)),
                name="claims_claimrelation_decide",
            ),
            *super().get_urls(),
        ]

    def _decide(self, request: HttpRequest, relation: ClaimRelation, decision: str) -> bool:
        service = relation_confirm if decision == "confirm" else relation_dismiss
        try:
            service(relation=relation, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, f"{relation}: {error_text(error)}", messages.ERROR)
            return False
        self.log_change(request, relation, f"{decision}ed")
        return True

    def decide_view(self, request: HttpRequest, relation_id: int, decision: str) -> HttpResponse:
        """The confirm and dismiss buttons of the question and claim pages post here, then go back to `next`."""
        if decision not in ("confirm", "dismiss"):
            raise Http404(f"No decision {decision!r}.")
        relation = ClaimRelation.objects.filter(pk=relation_id).first()
        if relation is None:
            raise Http404(f"No relation with id {relation_id}.")
        if self._decide(request, relation, decision):
            self.message_user(request, f"{relation}: {decision}ed.", messages.SUCCESS)
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:claims_claimrelation_change", args=[relation.pk])
        return HttpResponseRedirect(target)

    def _decide_many(self, request: HttpRequest, queryset: QuerySet, decision: str) -> None:
        done = sum(self._decide(request, relation, decision) for relation in queryset)
        if done:
            self.message_user(request, f"{done} relation(s) {decision}ed.", messages.SUCCESS)

    @admin.action(description="Confirm the selected relations (editors)")
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide_many(request, queryset, "confirm")

    @admin.action(description="Dismiss the selected relations (editors)")
    def dismiss_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide_many(request, queryset, "dismiss")

    def save_model(self, request: HttpRequest, obj: ClaimRelation, form: forms.ModelForm, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        if not change or "state" in form.changed_data:
            if obj.state != ClaimRelation.State.SUGGESTED and not is_editor(request.user):
                # As relation_confirm and relation_dismiss: deciding is the editors' call, whichever page it is made on.
                raise ValidationError({"state": "Only editors confirm or dismiss relations between claims."})
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
