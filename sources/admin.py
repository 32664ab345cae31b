"""Admin for sources and appearances: the lists editors pick speakers and documents from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Q
from django.db.models.functions import Lower

from factcheck.admin_utils import (
    URL_FORMFIELDS,
    CommonValuesListFilter,
    LargeTableAdminMixin,
    ServiceErrorsMixin,
    ServiceSaveMixin,
)
from sources.models import Appearance, Source
from sources.services import (
    APPEARANCE_EDITABLE_FIELDS,
    SOURCE_EDITABLE_FIELDS,
    appearance_create,
    appearance_update,
    source_create,
    source_update,
)
from sources.urlnorm import normalize_url

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest


class CountryFilter(CommonValuesListFilter):
    title = "country"
    parameter_name = "country"
    field_name = "country"


@admin.register(Source)
class SourceAdmin(ServiceErrorsMixin, ServiceSaveMixin, LargeTableAdminMixin, admin.ModelAdmin):
    service_fields = SOURCE_EDITABLE_FIELDS
    list_display = ["name", "kind", "country", "parent"]
    list_filter = ["kind", CountryFilter]
    list_select_related = ["parent"]
    search_fields = ["name"]
    search_help_text = "Part of the name, or a whole alias."
    autocomplete_fields = ["parent"]
    formfield_overrides = URL_FORMFIELDS
    readonly_fields = ["created_at", "updated_at"]
    fields = [
        "name",
        "kind",
        "description",
        "country",
        "aliases",
        "parent",
        "wikidata_id",
        "homepage",
        "created_at",
        "updated_at",
    ]

    def service_create(self, request: HttpRequest, fields: dict[str, Any]) -> Source:
        return source_create(actor=request.user, **fields)

    def service_update(self, request: HttpRequest, obj: Source, fields: dict[str, Any]) -> Source:
        return source_update(source=obj, actor=request.user, **fields)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        # LOWER(name) LIKE '%term%' is served by the trigram index on LOWER(name); the admin's own icontains
        # compiles to UPPER(name) LIKE, which no index serves. Aliases are matched whole (GIN on the array), in the
        # spellings an editor is likely to type.
        spellings = sorted({term, term.lower(), term.upper(), term.title()})
        matches = Q(name_lower__contains=term.lower()) | Q(aliases__overlap=spellings)
        return queryset.alias(name_lower=Lower("name")).filter(matches), False


@admin.register(Appearance)
class AppearanceAdmin(ServiceErrorsMixin, ServiceSaveMixin, LargeTableAdminMixin, admin.ModelAdmin):
    service_fields = APPEARANCE_EDITABLE_FIELDS
    list_display = ["title_or_placeholder", "publisher", "published_on", "url"]
    list_filter = [("published_on", admin.DateFieldListFilter)]
    list_select_related = ["publisher"]
    # Newest first by key: the model's -published_on ordering has no index to walk.
    ordering = ["-id"]
    search_fields = ["title", "url"]
    search_help_text = "Part of the title, or a URL."
    autocomplete_fields = ["publisher"]
    formfield_overrides = URL_FORMFIELDS
    readonly_fields = ["created_at", "updated_at"]
    fields = [
        "url",
        "title",
        "publisher",
        "published_on",
        "language",
        "retrieved_at",
        "content_hash",
        "archive_url",
        "created_at",
        "updated_at",
    ]

    def service_create(self, request: HttpRequest, fields: dict[str, Any]) -> Appearance:
        return appearance_create(actor=request.user, **fields)

    def service_update(self, request: HttpRequest, obj: Appearance, fields: dict[str, Any]) -> Appearance:
        return appearance_update(appearance=obj, actor=request.user, **fields)

    @admin.display(description="title")
    def title_or_placeholder(self, obj: Appearance) -> str:
        return obj.title or "(no title)"

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.startswith(("http://", "https://")):
            # A pasted address is looked up as stored (normalised), through the unique index on url.
            return queryset.filter(Q(url=normalize_url(term)) | Q(url__startswith=term)), False
        # LOWER(title) and LOWER(url) LIKE '%term%' are served by their trigram indexes (see Appearance.Meta).
        return queryset.alias(title_lower=Lower("title"), url_lower=Lower("url")).filter(
            Q(title_lower__contains=term.lower()) | Q(url_lower__contains=term.lower())
        ), False
