"""Filter pieces every app's API shares: strict ordering and query parameters that refuse bad values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from rest_framework.request import Request
    from rest_framework.views import APIView

# The largest value of a PostgreSQL bigint: ids beyond it cannot exist.
MAX_ID = 2**63 - 1


class FilterSet(django_filters.FilterSet):
    """A FilterSet that copies only the filters the request names.

    django-filter deep-copies every declared filter for each request; with a dozen filters that was a tenth of a
    readers' list page that uses none of them (issue 6, E1). Filters the query string does not name filter nothing,
    so leaving them out changes no result. The class keeps them all, for the schema and for unbound use.
    """

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            named = set(data)
            self.base_filters = {
                name: filter_
                for name, filter_ in type(self).base_filters.items()
                # A range filter's parameters are its name with a suffix (name_after, name_min, ...).
                if name in named or any(key.startswith(f"{name}_") for key in named)
            }
        super().__init__(data, *args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A row id: a positive whole number (NumberFilter alone would accept 1.5 and 1e3)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class SlugFilter(django_filters.CharFilter):
    field_class = forms.SlugField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 50)
        super().__init__(*args, **kwargs)


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=` over the view's `ordering_fields`, refusing unknown fields with a 400 that names `ordering`.

    DRF drops unknown fields silently, so a client that misspells one would page through an order it did not ask
    for without noticing. A full-text search (a queryset annotated with `rank`) is ordered best match first unless
    the client chose an order. The cursor pagination asks this filter for the ordering, so both always agree.
    """

    def get_ordering(self, request: Request, queryset: QuerySet, view: APIView) -> list[str] | tuple[str, ...] | None:
        param = request.query_params.get(self.ordering_param, "")
        fields = [term.strip() for term in param.split(",") if term.strip()]
        if fields:
            valid = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [term for term in fields if term.removeprefix("-") not in valid]
            if unknown:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Unknown ordering field {', '.join(unknown)!s}; "
                            f"choose from {', '.join(sorted(valid))}, with - for descending."
                        ]
                    }
                )
            return fields
        if "rank" in queryset.query.annotations:
            return ["-rank", "-id"]
        return self.get_default_ordering(view)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        fields = ", ".join(getattr(view, "ordering_fields", None) or ())
        default = ",".join(getattr(view, "ordering", None) or ())
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"Comma-separated fields to order by, - for descending: {fields}. Default: {default}.",
                "schema": {"type": "string"},
            }
        ]
