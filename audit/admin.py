"""The audit trail in the admin: an "Events" page per object and per model, read-only.

pghistory.admin puts an "Events" button on the change page and the list page of every tracked model (its templates
come first because `pghistory.admin` is listed above `django.contrib.admin`). It opens this admin, filtered to the
object or the model: each row says when, what kind of change, by whom, through which request or command, and which
fields went from what to what. Nobody can add, change or delete events here (and the database refuses it anyway).
Settings: PGHISTORY_ADMIN_MODEL and PGHISTORY_ADMIN_CLASS name the model and this class.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.exceptions import ObjectDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from pghistory.admin import EventsAdmin

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest, HttpResponse

    from audit.models import AuditEvent

# Changes to these columns come with every real change; listing them says nothing.
QUIET_COLUMNS = frozenset({"updated_at"})
VALUE_DISPLAY_LENGTH = 120
NO_CONTEXT = "outside the application (raw SQL or a script)"


def _short(value: Any) -> str:
    if value == "":
        return "(empty)"
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= VALUE_DISPLAY_LENGTH else text[: VALUE_DISPLAY_LENGTH - 1] + "…"


def _tracked_model(event: AuditEvent) -> type[Model]:
    # Events name the audit app's proxy of the model (audit.TrackedSource); people know the model itself.
    return apps.get_model(event.pgh_obj_model)._meta.concrete_model


def _describe_target(target: str) -> str | None:
    """The name of the object a target like `claims.Claim:12` points to, `claim 12 (deleted)` once it is gone."""
    label, _, pk = target.partition(":")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    try:
        return str(model._default_manager.get(pk=pk))
    except (ObjectDoesNotExist, ValueError):
        return f"{model._meta.verbose_name} {pk} (deleted)"


class AuditEventsAdmin(EventsAdmin):
    """Events across every event table; pghistory's filters narrow them to one object, model or label."""

    ordering = ("-pgh_created_at", "-pgh_id")
    list_display_links = ("when",)
    # The list is a UNION over the event tables: one COUNT is all a page should cost, and no facet counts.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    readonly_fields = ("when", "label", "tracked_object", "actor", "origin", "changes")
    fields = ("when", "label", "tracked_object", "actor", "origin", "changes", "pgh_data", "pgh_context")

    def get_list_display(self, request: HttpRequest) -> list[str]:
        if "obj" in request.GET:  # one object's history: the page's title names it
            return ["when", "label", "actor", "origin", "changes"]
        return ["when", "label", "tracked_object", "actor", "origin", "changes"]

    @admin.display(description="when", ordering="pgh_created_at")
    def when(self, event: AuditEvent) -> Any:
        return event.pgh_created_at

    @admin.display(description="what", ordering="pgh_label")
    def label(self, event: AuditEvent) -> str:
        return event.pgh_label

    @admin.display(description="object")
    def tracked_object(self, event: AuditEvent) -> str:
        model = _tracked_model(event)
        if event.pgh_obj_id is None:  # a many-to-many row (a group membership): its own fields say which
            return str(model._meta.verbose_name)
        name = f"{model._meta.verbose_name} {event.pgh_obj_id}"
        try:
            url = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[quote(event.pgh_obj_id)]
            )
        except NoReverseMatch:
            return name
        return format_html('<a href="{}">{}</a>', url, name)

    @admin.display(description="by")
    def actor(self, event: AuditEvent) -> str:
        context = event.pgh_context or {}
        if context.get("username"):
            return context["username"]
        if context.get("command"):
            return f"manage.py {context['command']}"
        return "anonymous" if context.get("url") else "—"

    @admin.display(description="via")
    def origin(self, event: AuditEvent) -> str:
        context = event.pgh_context or {}
        if context.get("url"):
            return f"{context.get('method') or ''} {context['url']}".strip()
        if context.get("command"):
            return f"command {context['command']}"
        return NO_CONTEXT

    @admin.display(description="changes")
    def changes(self, event: AuditEvent) -> str:
        if event.pgh_obj_id is None and event.pgh_label in ("insert", "delete"):
            # A many-to-many row has no page of its own: say which pair was linked or unlinked.
            verb = "added" if event.pgh_label == "insert" else "removed"
            pairs = ", ".join(f"{key} {value}" for key, value in sorted(event.pgh_data.items()) if key != "id")
            return f"{verb}: {pairs}"
        if event.pgh_label == "insert":
            return "created"
        if event.pgh_label == "delete":
            return "deleted (the last snapshot is kept)"
        diff = {column: pair for column, pair in (event.pgh_diff or {}).items() if column not in QUIET_COLUMNS}
        if not diff:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong>: {} → {}</li>",
                ((column, _short(before), _short(after)) for column, (before, after) in sorted(diff.items())),
            ),
        )

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # pghistory's own view names the object by reloading it, which fails once the object is deleted, and puts
        # the "back" parameter into a link unchecked.
        extra_context = {**(extra_context or {}), "title": "History"}
        target = request.GET.get("obj", "")
        if ":" in target:
            described = _describe_target(target)
            if described is not None:
                extra_context["subtitle"] = described
        elif request.GET.get("model"):
            extra_context["subtitle"] = request.GET["model"]
        back = request.GET.get("back", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            extra_context["pgh_back"] = back
        return admin.ModelAdmin.changelist_view(self, request, extra_context=extra_context)
