"""Admin helpers shared by the apps: counting without COUNT(*), cheap filters, index-friendly search, workflow
transition buttons, and saving through services.

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

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Page, PageNotAnInteger, Paginator
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.models import F, Q
from django.db.models.lookups import Lookup
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import smart_split, unescape_string_literal
from django.views.decorators.http import require_POST

from factcheck.exceptions import Conflict
from factcheck.preconditions import etag_for

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.urls import URLPattern

# Editors paste addresses without a scheme; https is the likely one (and Django 6's default).
URL_FORMFIELDS = {models.URLField: {"assume_scheme": "https"}}

# Below this many rows (by estimate) a real COUNT(*) is cheap, and small tables deserve exact numbers.
EXACT_COUNT_BELOW = 10_000


class ILike(Lookup):
    """`lhs ILIKE rhs`, which a trigram (gin_trgm_ops) index on the column serves.

    Django's icontains compiles to UPPER(lhs::text) LIKE UPPER(rhs) instead, which no index on the column serves.
    Used as an expression: queryset.filter(ILike(F("statement"), pattern)).
    """

    lookup_name = "ilike"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def contains_words(field_name: str, search_term: str, min_length: int = 3) -> Q | None:
    """Every word of `search_term` (quoted phrases kept whole) occurs in the column, in any case, via ILIKE.

    Words shorter than a trigram cannot use a trigram index and would scan the table, so they are left out;
    None when no word is left.
    """
    words = [unescape_string_literal(word) if word[0] in "\"'" else word for word in smart_split(search_term)]
    words = [word for word in words if len(word) >= min_length]
    if not words:
        return None
    ops = connections[DEFAULT_DB_ALIAS].ops
    return Q(*(ILike(F(field_name), f"%{ops.prep_for_like_query(word)}%") for word in words))


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
        if queryset.query.is_empty():
            # .none() never reaches the database, so there is no plan to read an estimate from.
            return 0
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
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.is_estimate and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int) -> Any:
        queryset = self.object_list
        if bottom == 0 or not isinstance(queryset, models.QuerySet) or queryset.query.distinct:
            return queryset[bottom:top]
        # PostgreSQL computes every selected expression, per-row subqueries included (the claim list's current
        # rating), for each row an OFFSET skips: page 5000 of the claims took seconds. Taking the page's keys
        # first (an index-only walk) and then the full rows for just those keys keeps deep pages cheap.
        keys = list(queryset.values_list("pk", flat=True)[bottom:top])
        return queryset.filter(pk__in=keys)


class LoadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete widget that renders its selected option from an object the form already holds.

    The stock widget queries for its selected object once per widget: two queries per attribution hop, hundreds on
    the page of a claim relayed by many outlets. LoadedChoicesForm hands over the objects the inline's queryset
    loaded with select_related; anything else (a value just posted) is still looked up.
    """

    loaded: dict[str, models.Model] = {}

    def optgroups(self, name: str, value: list[str], attr: Any = None) -> list[tuple[Any, list[Any], int]]:
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not selected <= self.loaded.keys():
            return super().optgroups(name, value, attr)
        options: list[Any] = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected):
            obj = self.loaded[key]
            label = self.choices.field.label_from_instance(obj)
            options.append(self.create_option(name, obj.pk, label, True, len(options)))
        return [(None, options, 0)]


class LoadedChoicesForm(forms.ModelForm):
    """Gives LoadedAutocompleteSelect widgets the related objects the instance already has cached."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            widget = getattr(form_field.widget, "widget", form_field.widget)  # inside RelatedFieldWidgetWrapper
            if not isinstance(widget, LoadedAutocompleteSelect):
                continue
            model_field = self.instance._meta.get_field(name)
            related = getattr(self.instance, name) if model_field.is_cached(self.instance) else None
            if related is not None:
                widget.loaded = {str(related.pk): related}


class LoadedAutocompleteInlineMixin:
    """An inline whose autocomplete widgets render from the rows its queryset select_related()s."""

    form = LoadedChoicesForm

    def formfield_for_foreignkey(self, db_field: models.Field, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = LoadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
    """A workflow step the admin offers as a button on the change page and, without a form, as a changelist action.

    `perform(obj, user, **form_data)` calls the service; it raises ValidationError, Conflict or PermissionDenied
    when the step does not apply, and those become admin messages. `applies(obj, user)` only decides whether the
    button is shown. A step that needs input (an assignee, a reason) names a `form_class`: its button opens a page
    with that form, filled in from `initial(obj)`, and the step runs when that form is posted.
    """

    name: str
    label: str
    action_description: str
    perform: Callable[..., object]
    applies: Callable[[Any, Any], bool] = lambda obj, user: True
    form_class: type[forms.Form] | None = None
    initial: Callable[[Any], dict[str, Any]] = lambda obj: {}


def error_text(error: ValidationError | Conflict | PermissionDenied) -> str:
    if isinstance(error, Conflict):
        return error.message
    if isinstance(error, PermissionDenied):
        return str(error) or "You may not do this."
    return " ".join(error.messages)


# Posted with every transition: the version of the object the page showed, so a step is never taken on a state the
# editor has not seen (a draft changed since they read it, say).
LOADED_VERSION = "_loaded_version"


def object_version(obj: Any) -> str | None:
    """An opaque token of the object's state (its ETag), for objects that keep `updated_at`."""
    if getattr(obj, "updated_at", None) is None:
        return None
    return etag_for(obj)


class TransitionAdminMixin:
    """Offers `transitions` as buttons on the change page (POST to <id>/transition/<name>/) and as actions.

    Later workflow steps are added by listing another Transition; permission per step goes in
    `has_transition_permission`.
    """

    transitions: Sequence[Transition] = ()
    change_form_template = "admin/claims/change_form_with_transitions.html"
    transition_form_template = "admin/claims/transition_form.html"

    def has_transition_permission(self, request: HttpRequest, transition: Transition, obj: Any = None) -> bool:
        # Whoever may change this kind of object may move it on, unless the admin says otherwise; whether this
        # object may take the step is the service's call (an approved verdict is read-only, yet may be published).
        return self.has_change_permission(request)

    def run_transition(self, request: HttpRequest, transition: Transition, obj: Any, **data: Any) -> bool:
        try:
            transition.perform(obj, request.user, **data)
        except (ValidationError, Conflict, PermissionDenied) as error:
            self.message_user(request, f"{obj}: {error_text(error)}", messages.ERROR)
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
        if not self.has_transition_permission(request, transition):
            raise PermissionDenied
        data: dict[str, Any] = {}
        if transition.form_class is not None:
            # The change page's button posts without the form's fields: show the form. Its own post carries them.
            form = transition.form_class(request.POST if "_confirm" in request.POST else None)
            if not form.is_bound or not form.is_valid():
                return self._render_transition_form(request, transition, obj, form)
            data = form.cleaned_data
        with transaction.atomic(using=router.db_for_write(self.model)):
            # Locked from the version check to the step, so nobody changes the object in between.
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            loaded = request.POST.get(LOADED_VERSION)
            if loaded and loaded != object_version(locked):
                self.message_user(
                    request,
                    f"{obj}: it changed since you opened the page; look at it again before you {transition.label}.",
                    messages.ERROR,
                )
            elif self.run_transition(request, transition, locked, **data):
                self.message_user(request, f"{obj}: {transition.label} done.", messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk], current_app=self.admin_site.name)
        )

    def _render_transition_form(
        self, request: HttpRequest, transition: Transition, obj: Any, form: forms.Form
    ) -> HttpResponse:
        opts = self.model._meta
        if not form.is_bound:
            form.initial = transition.initial(obj)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{transition.label}: {obj}",
            "opts": opts,
            "original": obj,
            "transition": transition,
            "form": form,
            "loaded_version": request.POST.get(LOADED_VERSION) or object_version(obj),
            "loaded_version_name": LOADED_VERSION,
            "change_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk], current_app=self.admin_site.name
            ),
        }
        return TemplateResponse(request, self.transition_form_template, context)

    def _transition_action(self, transition: Transition) -> Callable[[Any, HttpRequest, QuerySet], None]:
        def action(modeladmin: Any, request: HttpRequest, queryset: QuerySet) -> None:
            # The action is only offered to those with the permission (get_actions); whether each object may take
            # the step is the service's call, so its refusal is what the editor reads.
            done = sum(self.run_transition(request, transition, obj) for obj in queryset)
            if done:
                self.message_user(request, f"{transition.label}: {done} done.", messages.SUCCESS)

        return action

    def get_actions(self, request: HttpRequest) -> dict[str, tuple[Callable[..., Any], str, str]]:
        actions = super().get_actions(request)
        for transition in self.transitions:
            # A step that needs input is taken one object at a time, from its page.
            if transition.form_class is None and self.has_transition_permission(request, transition):
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
                    "label": transition.label + ("…" if transition.form_class is not None else ""),
                    "url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_transition",
                        args=[obj.pk, transition.name],
                        current_app=self.admin_site.name,
                    ),
                }
                for transition in self.transitions
                if self.has_transition_permission(request, transition, obj) and transition.applies(obj, request.user)
            ]
            context["loaded_version"] = object_version(obj)
            context["loaded_version_name"] = LOADED_VERSION
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


def adopt_saved_row(target: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved `target` the row that a service created and returned as `saved`.

    The admin saves inlines and writes its log against the very object it passed to save_model, so when a service
    builds its own instance, that object needs the new key and state.
    """
    for field in target._meta.concrete_fields:
        if not field.generated:
            setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


def _add_refusal(form: Any, refusal: ValidationError | Conflict) -> None:
    if isinstance(refusal, Conflict):
        form.add_error(None, refusal.message)
    elif hasattr(refusal, "error_dict"):
        for field, errors in refusal.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal)


class ServiceErrorsMixin:
    """A service's refusal at save time (ValidationError or Conflict) shows on the form like any other error.

    Fields are validated by the form; rules that need the database or several objects live in the services and run
    when save_model and save_related call them. When one refuses, the transaction has already been rolled back; the
    page is then built once more from the submitted data, with the refusal added to the form's errors, so the editor
    keeps what they typed and reads the service's own message.
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
        except (ValidationError, Conflict) as refusal:
            if request.method != "POST" or hasattr(request, "_service_refusal"):
                raise
            request._service_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form_class

        def clean(form: Any) -> Any:
            cleaned = super(refused, form).clean()
            _add_refusal(form, refusal)
            return cleaned

        refused = type(form_class.__name__, (form_class,), {"clean": clean})
        # The metaclass would build fresh fields from Meta; keep the ones the admin prepared (widgets, querysets).
        refused.base_fields = form_class.base_fields
        return refused


class ServiceSaveMixin:
    """save_model through the model's create and update services, passing only the fields this editor changed.

    The page posts back the values it showed (show_hidden_initial), so changed_data holds what this editor changed
    rather than every field a colleague changed since the page was loaded; update services write only the fields
    they are given, so two editors changing different fields of one object do not overwrite each other.
    """

    service_fields: Sequence[str] = ()

    def service_create(self, request: HttpRequest, fields: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def service_update(self, request: HttpRequest, obj: Any, fields: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        for field in form_class.base_fields.values():
            field.show_hidden_initial = True
        return form_class

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in self.service_fields if name in form.cleaned_data}
        if change:
            self.service_update(request, obj, {name: v for name, v in fields.items() if name in form.changed_data})
        else:
            adopt_saved_row(obj, self.service_create(request, fields))
