"""The claim pages: a list that stays cheap at a million claims, and a change page with hops, values, evidence, the
verdict history, the review log and internal comments, with a button for each workflow step the editor may take."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.postgres.search import SearchQuery
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import StreamingHttpResponse
from django.utils.text import Truncator

from claims import csvexport
from claims.admin.crossref import claim_panel
from claims.admin.forms import (
    EVIDENCE_FIELDS,
    SMALL_TEXTAREA,
    AttributionFormSet,
    ClaimValueForm,
    ClaimValueFormSet,
    EvidenceFormSet,
)
from claims.admin.related import RelatedClaimsAdminMixin
from claims.admin.verdicts import verdict_state
from claims.admin.workflow import (
    CLAIM_TRANSITIONS,
    CommentInline,
    MyWorkFilter,
    ReviewEventInline,
    TableTransitionsMixin,
)
from claims.api.serializers import FOR_READERS
from claims.models import Attribution, Bucket, Claim, ClaimValue, Evidence, Verdict
from claims.services import CLAIM_EDITABLE_FIELDS, claim_create, claim_update
from factcheck.admin_utils import (
    URL_FORMFIELDS,
    CommonValuesListFilter,
    EstimatedCountPaginator,
    LargeTableAdminMixin,
    LoadedAutocompleteInlineMixin,
    ServiceErrorsMixin,
    ServiceSaveMixin,
    TransitionAdminMixin,
    contains_words,
    object_version,
)
from factcheck.exceptions import Conflict
from factcheck.roles import is_desk_member

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse


class AttributionInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    model = Attribution
    formset = AttributionFormSet
    fields = ["appearance", "position", "source", "relation", "quote_excerpt"]
    autocomplete_fields = ["appearance", "source"]
    formfield_overrides = SMALL_TEXTAREA
    ordering = ["appearance", "position"]
    extra = 1
    verbose_name = "attribution hop"
    verbose_name_plural = "attribution: who passed the claim on to whom (hop 0 is whoever put it on the page)"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("appearance", "source")


class ClaimValueInline(admin.TabularInline):
    model = ClaimValue
    form = ClaimValueForm
    formset = ClaimValueFormSet
    fields = [
        "kind",
        "expression",
        "low",
        "low_inclusive",
        "high",
        "high_inclusive",
        "qualifier",
        "unit",
        "precision",
        "as_of",
        "place",
    ]
    extra = 0
    verbose_name = "value"
    verbose_name_plural = "values: what the claim asserts, as an interval"


class EvidenceInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    """Evidence is only ever added: a published verdict rests on it (as in claims.services.claim_parts_set)."""

    model = Evidence
    formset = EvidenceFormSet
    fields = [*EVIDENCE_FIELDS, "added_by"]
    readonly_fields = ["added_by"]
    autocomplete_fields = ["appearance"]
    formfield_overrides = {**SMALL_TEXTAREA, **URL_FORMFIELDS}
    can_delete = False
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("appearance", "added_by")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VerdictHistoryInline(admin.TabularInline):
    model = Verdict
    fields = ["version", "state", "rating", "summary", "author", "approver", "published_at", "correction_kind"]
    readonly_fields = fields
    ordering = ["-version"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "verdict history (drafts and approvals happen on the verdict's own page)"

    @admin.display(description="state")
    def state(self, obj: Verdict) -> str:
        return verdict_state(obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("rating", "author", "approver")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LanguageFilter(CommonValuesListFilter):
    title = "language"
    parameter_name = "language"
    field_name = "language"


class RatingBucketFilter(admin.SimpleListFilter):
    title = "rating of the current verdict"
    parameter_name = "bucket"
    NONE = "none"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [*Bucket.choices, (self.NONE, "No published verdict")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        value = self.value()
        if not value:
            return None
        current = Verdict.objects.current().filter(claim=OuterRef("pk"))
        if value == self.NONE:
            return queryset.filter(~Exists(current))
        return queryset.filter(Exists(current.filter(rating__bucket=value)))


class HasQuestionFilter(admin.SimpleListFilter):
    title = "question"
    parameter_name = "has_question"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Answers a question"), ("no", "No question")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        if self.value() in ("yes", "no"):
            return queryset.filter(question__isnull=self.value() == "no")
        return None


class ClaimForm(forms.ModelForm):
    """The claim's fields, and the version of the claim the page was loaded with (to refuse overwriting a change)."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Claim
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = object_version(self.instance)


class ClaimPaginator(EstimatedCountPaginator):
    """Counts a search or filter exactly only when the planner expects few rows.

    An exact count of a search reads every matching row from the heap (the bitmap is not enough: the ILIKE is
    rechecked row by row): 20 ms for 500 matches at 100k claims, ~100 ms for 6,000; at 1M claims a word in 0.5% of
    statements would cost 200 ms per page view, the admin's whole budget (issue 6, E9). Below 1,000 expected rows
    the count stays cheap and exact; above, the planner's estimate is shown as "about N".
    """

    exact_filtered_below = 1_000

    @property
    def exact_below(self) -> int:  # type: ignore[override]
        limit = EstimatedCountPaginator.exact_below
        filtered = isinstance(self.object_list, models.QuerySet) and bool(self.object_list.query.where)
        return min(limit, self.exact_filtered_below) if filtered else limit


@admin.register(Claim)
class ClaimAdmin(
    ServiceErrorsMixin,
    ServiceSaveMixin,
    RelatedClaimsAdminMixin,
    TableTransitionsMixin,
    TransitionAdminMixin,
    LargeTableAdminMixin,
    admin.ModelAdmin,
):
    form = ClaimForm
    paginator = ClaimPaginator
    service_fields = CLAIM_EDITABLE_FIELDS
    transitions = CLAIM_TRANSITIONS
    list_display = ["short_statement", "status", "claimant", "current_rating", "assignee", "claim_date"]
    list_display_links = ["short_statement"]
    # A fixed-choice date filter costs no query; date_hierarchy would run SELECT DISTINCT over every claim date.
    list_filter = [
        MyWorkFilter,
        "status",
        "kind",
        LanguageFilter,
        RatingBucketFilter,
        HasQuestionFilter,
        ("claim_date", admin.DateFieldListFilter),
    ]
    list_select_related = ["claimant", "assignee"]
    # Newest first by key: ids are handed out in creation order, so this matches the model's -created_at but walks
    # the primary key index instead of sorting every claim. Only indexed columns are offered for sorting.
    ordering = ["-id"]
    sortable_by = ["claim_date"]
    # Declared so the search box and the claim autocomplete exist; get_search_results does the matching.
    search_fields = ["statement"]
    search_help_text = "Words of the statement (or parts of them), words of the quote, or a claim id."
    autocomplete_fields = ["claimant", "question", "first_appearance"]
    # Status and assignee change through the workflow's buttons, never by editing.
    readonly_fields = ["status", "assignee", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["statement", "quote", "kind", "language", "claim_date", "tags"]}),
        ("Who and where", {"fields": ["claimant", "first_appearance", "question"]}),
        ("Desk", {"fields": ["status", "assignee", "created_by", "created_at", "updated_at", "loaded_version"]}),
        ("Import", {"fields": ["external_origin", "external_id"], "classes": ["collapse"]}),
    ]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})}}
    inlines = [
        AttributionInline,
        ClaimValueInline,
        EvidenceInline,
        VerdictHistoryInline,
        CommentInline,
        ReviewEventInline,
    ]

    actions = ["export_csv"]

    @admin.action(description="Export selected as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> StreamingHttpResponse:
        """The selected claims as GET /api/v1/claims/?format=csv gives them (claims.csvexport), streamed."""
        claims = Claim.objects.filter(pk__in=queryset.values("pk")).for_api_list(request.user).order_by("-id")
        context = {"request": request, FOR_READERS: not is_desk_member(request.user)}
        response = StreamingHttpResponse(csvexport.stream(claims, context), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="claims.csv"'
        return response

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # One correlated subquery per listed row, served by the unique index behind verdict_one_current_per_claim
        # (so no ordering is needed: there is at most one current verdict).
        current_label = Verdict.objects.current().filter(claim=OuterRef("pk")).order_by().values("rating__label")[:1]
        # The generated search vector is the widest column and no admin page shows it.
        queryset = super().get_queryset(request).defer("search_vector")
        return queryset.annotate(current_rating_label=Subquery(current_label))

    @admin.display(description="statement")
    def short_statement(self, obj: Claim) -> str:
        return Truncator(obj.statement).chars(100)

    @admin.display(description="current rating")
    def current_rating(self, obj: Claim) -> str | None:
        return getattr(obj, "current_rating_label", None)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        # The admin's own search would be UPPER(statement) LIKE UPPER('%word%'), which neither the trigram index
        # on `statement` nor the full-text index can serve: a sequential scan of every claim. Instead a claim
        # matches when the stored search_vector matches (statement and quote, English stemming: "delegate" finds
        # "delegates"; GIN claim_search_gin) or when every word occurs in the statement as `statement ILIKE
        # '%word%'`, which GIN claim_statement_trgm (gin_trgm_ops) serves. Both are bitmap index scans, so no
        # model change is needed. (Trigram word similarity, `%>`, was tried: its recheck costs seconds on common
        # words and its row estimates mislead the planner.)
        matches = Q(search_vector=SearchQuery(term, search_type="websearch", config="english"))
        substrings = contains_words("statement", term)
        if substrings is not None:
            matches |= substrings
        if term.isdigit() and len(term) < 19:
            matches |= Q(pk=int(term))
        return queryset.filter(matches), False

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
            context["claim_cross_reference"] = claim_panel(obj, request)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def service_create(self, request: HttpRequest, fields: dict[str, Any]) -> Claim:
        return claim_create(actor=request.user, **fields)

    def service_update(self, request: HttpRequest, obj: Claim, fields: dict[str, Any]) -> Claim:
        # Called on every save, even with no field changed: it touches updated_at, and API clients sync on that
        # when only hops, values or evidence changed.
        return claim_update(claim=obj, actor=request.user, **fields)

    def save_model(self, request: HttpRequest, obj: Claim, form: forms.ModelForm, change: bool) -> None:
        if change:
            # The admin saves in one transaction; the lock holds until the inlines are saved too, so nobody can
            # slip a change in between this check and the writes.
            current = Claim.objects.select_for_update().only("updated_at").get(pk=obj.pk)
            loaded = form.cleaned_data.get("loaded_version")
            if loaded and loaded != object_version(current):
                raise Conflict(
                    "Someone changed this claim since you opened it, so nothing was saved: reload the page to see "
                    "their change, then make yours again."
                )
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        formset.actor = request.user
        formset.save()
