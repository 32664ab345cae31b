"""Admin helpers shared by the apps: counting without COUNT(*), cheap filters, and workflow transitions.

The claims tables are expected to reach millions of rows. The stock admin counts every changelist with COUNT(*)
(a full scan on PostgreSQL) and builds "all values" filters with SELECT DISTINCT (another full scan); the helpers
here ask the planner's statistics instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Page, PageNotAnInteger, Paginator
from django.db import connections, models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from factcheck.exceptions import Conflict

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.urls import URLPattern

# Below this many rows (by estimate) a real COUNT(*) is cheap, and small tables deserve exact numbers.
EXACT_COUNT_BELOW = 10_000


def table_row_estimate(model: type[models.Model], using: str = "default") -> int | None:
    """Rows in the model's table according to pg_class.reltuples (kept by ANALYZE and autovacuum).

    None when the table has never been analysed (reltuples is -1 then), so the caller can fall back.
    """
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    if row is None or row[0] < 0:
        return None
    return int(row[0])


def planner_row_estimate(queryset: QuerySet) -> int:
    """The number of rows the planner expects `queryset` to return, from EXPLAIN (FORMAT JSON); nothing is run."""
    # Selecting only the key keeps joins for select_related and annotations that nothing filters on out of the plan.
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def _is_unfiltered(queryset: QuerySet) -> bool:
    query = queryset.query
    return not (query.where or query.distinct or query.combinator or query.is_sliced or query.group_by)


class EstimatedCountPaginator(Paginator):
    """A paginator that counts big result sets from PostgreSQL's estimates instead of running COUNT(*).

    Unfiltered lists take the table's reltuples; filtered ones the planner's row estimate. When the estimate is
    under `exact_below` it runs a real count, so small tables and narrow filters show exact numbers. With an
    estimate, the last page numbers are approximate: pages past the estimate still open (possibly empty), and the
    last page is not cut short at the estimated count.
    """

    exact_below = EXACT_COUNT_BELOW
    _estimated = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, models.QuerySet):
            return len(queryset)
        estimate = None
        if _is_unfiltered(queryset):
            estimate = table_row_estimate(queryset.model, queryset.db)
        if estimate is None:
            estimate = planner_row_estimate(queryset)
        if estimate < self.exact_below:
            return queryset.count()
        self._estimated = True
        return estimate

    @property
    def is_estimate(self) -> bool:
        """Whether `count` is PostgreSQL's estimate rather than an exact count."""
        return self.count is not None and self._estimated

    def validate_number(self, number: Any) -> int:
        if self.is_estimate:
            try:
                number = int(number)
            except (TypeError, ValueError) as error:
                raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
            if number < 1:
                raise InvalidPage(self.error_messages["min_page"])
            return number
        return super().validate_number(number)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if not self.is_estimate:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


class LargeTableAdminMixin:
    """For changelists over tables that grow into millions of rows: no COUNT(*), no facet counts."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50


def column_common_values(model: type[models.Model], field_name: str, using: str = "default") -> list[str]:
    """The values a column holds, cheaply: the planner's most common values for a big table, DISTINCT for a small one.

    pg_stats.most_common_vals lists every value frequent enough to matter; a value too rare to be listed can still
    be filtered on through the URL.
    """
    column = model._meta.get_field(field_name).column
    estimate = table_row_estimate(model, using)
    if estimate is not None and estimate >= EXACT_COUNT_BELOW:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT most_common_vals::text::text[] FROM pg_stats"
                " WHERE schemaname = current_schema() AND tablename = %s AND attname = %s",
                [model._meta.db_table, column],
            )
            row = cursor.fetchone()
        if row is not None and row[0] is not None:
            return sorted(value for value in row[0] if value)
    return list(
        model._default_manager.using(using)
        .exclude(**{field_name: ""})
        .order_by(field_name)
        .values_list(field_name, flat=True)
        .distinct()
    )


class CommonValuesListFilter(admin.SimpleListFilter):
    """A filter over a free-text column's values that does not scan a big table to list them."""

    field_name: str = ""

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        values = column_common_values(model_admin.model, self.field_name)
        if self.value() and self.value() not in values:
            values = sorted([*values, self.value()])
        return [(value, value) for value in values]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        if self.value():
            return queryset.filter(**{self.field_name: self.value()})
        return None


@dataclass(frozen=True)
class Transition:
    """A workflow step the admin offers as a button on the change page and as a changelist action.

    `perform(obj, user)` calls the service; it raises ValidationError or Conflict when the step does not apply,
    and those become admin messages. `applies(obj)` only decides whether the button is shown.
    """

    name: str
    label: str
    action_description: str
    perform: Callable[[Any, Any], object]
    applies: Callable[[Any], bool] = lambda obj: True


def _error_text(error: ValidationError | Conflict) -> str:
    if isinstance(error, Conflict):
        return error.message
    return " ".join(error.messages)


class TransitionAdminMixin:
    """Offers `transitions` as buttons on the change page (POST to <id>/transition/<name>/) and as actions.

    Later workflow steps are added by listing another Transition; permission per step goes in
    `has_transition_permission`.
    """

    transitions: Sequence[Transition] = ()
    change_form_template = "admin/claims/change_form_with_transitions.html"

    def has_transition_permission(self, request: HttpRequest, transition: Transition, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    def run_transition(self, request: HttpRequest, transition: Transition, obj: Any) -> bool:
        try:
            transition.perform(obj, request.user)
        except (ValidationError, Conflict) as error:
            self.message_user(request, f"{obj}: {_error_text(error)}", messages.ERROR)
            return False
        self.log_change(request, obj, transition.label)
        return True

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/transition/<slug:name>/",
                self.admin_site.admin_view(require_POST(self.transition_view)),
                name=f"{opts.app_label}_{opts.model_name}_transition",
            ),
            *super().get_urls(),
        ]

    def _transition(self, name: str) -> Transition:
        for transition in self.transitions:
            if transition.name == name:
                return transition
        raise Http404(f"No transition {name!r}.")

    def transition_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        transition = self._transition(name)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} with id {object_id!r}.")
        if not self.has_transition_permission(request, transition, obj):
            raise PermissionDenied
        if self.run_transition(request, transition, obj):
            self.message_user(request, f"{obj}: {transition.label} done.", messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk], current_app=self.admin_site.name)
        )

    def _transition_action(self, transition: Transition) -> Callable[[Any, HttpRequest, QuerySet], None]:
        def action(modeladmin: Any, request: HttpRequest, queryset: QuerySet) -> None:
            done = 0
            for obj in queryset:
                if not self.has_transition_permission(request, transition, obj):
                    self.message_user(request, f"{obj}: you may not do this.", messages.ERROR)
                elif self.run_transition(request, transition, obj):
                    done += 1
            if done:
                self.message_user(request, f"{transition.label}: {done} done.", messages.SUCCESS)

        return action

    def get_actions(self, request: HttpRequest) -> dict[str, tuple[Callable[..., Any], str, str]]:
        actions = super().get_actions(request)
        for transition in self.transitions:
            if self.has_transition_permission(request, transition):
                name = f"transition_{transition.name}"
                actions[name] = (self._transition_action(transition), name, transition.action_description)
        return actions

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
            opts = self.model._meta
            context["transition_buttons"] = [
                {
                    "label": transition.label,
                    "url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_transition",
                        args=[obj.pk, transition.name],
                        current_app=self.admin_site.name,
                    ),
                }
                for transition in self.transitions
                if transition.applies(obj) and self.has_transition_permission(request, transition, obj)
            ]
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class ServiceErrorsMixin:
    """Turns a service's refusal that slipped past form validation (a race) into an admin message, not a 500.

    The forms check the same rules first, so this is for the rare case where another editor changed the object
    between the form's check and the service's.
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, Conflict) as error:
            self.message_user(request, _error_text(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
