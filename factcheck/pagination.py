"""Pagination that never counts the table: keyset cursors over a total ordering."""

from __future__ import annotations

import binascii
import datetime as dt
import json
import math
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

if TYPE_CHECKING:
    from django.db.models import Field, Model, QuerySet
    from django.db.models.expressions import OrderBy
    from rest_framework.request import Request
    from rest_framework.views import APIView

# Longer than any cursor we hand out (a 500-character question text included); refusing longer ones keeps
# garbage from reaching json.loads.
MAX_CURSOR_LENGTH = 4096


@dataclass(frozen=True)
class Key:
    name: str
    descending: bool
    field: Field

    @property
    def term(self) -> str:
        return f"-{self.name}" if self.descending else self.name


@dataclass(frozen=True)
class Cursor:
    values: tuple[Any, ...]
    reverse: bool


class CursorPagination(pagination.BasePagination):
    """Keyset pages: constant cost at any depth and stable while rows are added (no COUNT(*), no OFFSET).

    The ordering is the client's `?ordering=` (checked by the view's ordering filter), else the view's `ordering`,
    always completed with `id` so that it is total. A cursor carries the ordering it was made for and the values of
    every ordering key at the page boundary, and the next page is the rows strictly after those values in that
    order. Unlike DRF's cursor, which keeps only the first key and counts an offset within ties, this stays correct
    whatever number of rows share a value (many claims share a claim_date). Nullable keys sort their nulls last.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"
    ordering: tuple[str, ...] = ("-created_at", "-id")
    invalid_cursor_message = "Invalid cursor: use the next and previous links exactly as given."

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: APIView | None = None) -> list[Model]:
        cursor = self._prepare(queryset, request, view)
        reverse = bool(cursor and cursor.reverse)
        queryset = queryset.order_by(*self._order_by(reverse))
        if cursor is not None:
            queryset = queryset.filter(self._beyond(cursor.values, reverse))
        return self._finish(list(queryset[: self.page_size + 1]), cursor)

    def paginate_rows(
        self,
        fetch: Callable[[tuple[Any, ...] | None, bool, int], list[dict[str, Any]]],
        queryset: QuerySet,
        request: Request,
        view: APIView | None = None,
    ) -> list[dict[str, Any]]:
        """paginate_queryset() for reads that write their own SQL (claims.api.readers): `fetch(after, reverse, limit)`
        returns up to `limit` rows strictly after the key values `after` (None: from the start) in the order of
        traversal (`reverse`: backwards), as dicts holding every key by name. `queryset` only names the columns."""
        cursor = self._prepare(queryset, request, view)
        reverse = bool(cursor and cursor.reverse)
        return self._finish(fetch(None if cursor is None else cursor.values, reverse, self.page_size + 1), cursor)

    def _prepare(self, queryset: QuerySet, request: Request, view: APIView | None) -> Cursor | None:
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.keys = self.get_keys(request, queryset, view)
        return self.decode_cursor(request)

    def _finish(self, rows: list[Any], cursor: Cursor | None) -> list[Any]:
        reverse = bool(cursor and cursor.reverse)
        more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if reverse:
            self.page.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, cursor is not None
        return self.page

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_next_link(self) -> str | None:
        if not (self.has_next and self.page):
            return None
        return self._link(Cursor(self._values_of(self.page[-1]), reverse=False))

    def get_previous_link(self) -> str | None:
        if not (self.has_previous and self.page):
            return None
        return self._link(Cursor(self._values_of(self.page[0]), reverse=True))

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({self.page_size_query_param: ["Page size must be a whole number from 1."]})
        return min(size, self.max_page_size)

    def get_keys(self, request: Request, queryset: QuerySet, view: APIView | None) -> tuple[Key, ...]:
        ordering: list[str] | tuple[str, ...] | None = None
        for backend in getattr(view, "filter_backends", ()):
            if hasattr(backend, "get_ordering"):
                ordering = backend().get_ordering(request, queryset, view)
                break
        else:
            ordering = getattr(view, "ordering", None)
        terms = list(ordering or self.ordering)
        names = [term.removeprefix("-") for term in terms]
        if "id" not in names and "pk" not in names:
            terms.append("-id" if terms[-1].startswith("-") else "id")
        return tuple(self._key(term, queryset) for term in terms)

    def decode_cursor(self, request: Request) -> Cursor | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            if len(encoded) > MAX_CURSOR_LENGTH:
                raise ValueError("too long")
            payload = json.loads(urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
            if not isinstance(payload, dict) or payload.get("k") != [key.term for key in self.keys]:
                raise ValueError("made for another ordering")
            raw = payload["v"]
            if not isinstance(raw, list) or len(raw) != len(self.keys):
                raise ValueError("wrong number of values")
            values = tuple(self._parse(key, value) for key, value in zip(self.keys, raw, strict=True))
            return Cursor(values, reverse=payload.get("r") is True)
        except (ValueError, TypeError, KeyError, RecursionError, binascii.Error, DjangoValidationError):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from None

    def encode_cursor(self, cursor: Cursor) -> str:
        payload = {"k": [key.term for key in self.keys], "v": [_jsonable(value) for value in cursor.values]}
        if cursor.reverse:
            payload["r"] = True
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        return urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, from 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def _key(self, term: str, queryset: QuerySet) -> Key:
        name = term.removeprefix("-")
        if name == "pk":
            name = "id"
        annotation = queryset.query.annotations.get(name)
        if annotation is not None:
            field = annotation.output_field
        else:
            try:
                field = queryset.model._meta.get_field(name)
            except FieldDoesNotExist:
                raise AssertionError(
                    f"Cursor pagination orders by plain columns or annotations, not {name!r}."
                ) from None
        return Key(name=name, descending=term.startswith("-"), field=field)

    def _order_by(self, reverse: bool) -> list[OrderBy | str]:
        terms: list[OrderBy | str] = []
        for key in self.keys:
            descending = key.descending != reverse
            if key.field.null:
                # Nulls last going forwards, so first going backwards: the reverse of the same order.
                expression = F(key.name)
                nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
                terms.append(expression.desc(**nulls) if descending else expression.asc(**nulls))
            else:
                terms.append(f"-{key.name}" if descending else key.name)
        return terms

    def _beyond(self, values: tuple[Any, ...], reverse: bool) -> Q:
        """Rows strictly after `values` in the order of traversal: (a > x) or (a = x and b > y) or ..."""
        clauses: list[Q] = []
        same_so_far = Q()
        for key, value in zip(self.keys, values, strict=True):
            descending = key.descending != reverse
            if value is None:
                # Nulls come last forwards (nothing beyond them on this key) and first backwards.
                beyond = Q(**{f"{key.name}__isnull": False}) if reverse else None
                same = Q(**{f"{key.name}__isnull": True})
            else:
                beyond = Q(**{f"{key.name}__{'lt' if descending else 'gt'}": value})
                if key.field.null and not reverse:
                    beyond |= Q(**{f"{key.name}__isnull": True})
                same = Q(**{key.name: value})
            if beyond is not None:
                clauses.append(same_so_far & beyond)
            same_so_far &= same
        return reduce(or_, clauses) if clauses else Q(pk__in=[])

    def _values_of(self, row: Model | dict[str, Any]) -> tuple[Any, ...]:
        # Rows of a .values() queryset (claims.api.readers) as well as model instances.
        if isinstance(row, dict):
            return tuple(row[key.name] for key in self.keys)
        return tuple(getattr(row, key.name) for key in self.keys)

    def _parse(self, key: Key, value: Any) -> Any:
        if value is None:
            if not key.field.null:
                raise ValueError("null for a column that has none")
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ValueError("not a scalar")
        parsed = key.field.to_python(value)
        if parsed is None:
            raise ValueError("empty value")
        if isinstance(parsed, dt.datetime) and parsed.tzinfo is None:
            raise ValueError("a datetime without its offset")
        if isinstance(parsed, float) and not math.isfinite(parsed):
            raise ValueError("not a finite number")
        return parsed

    def _link(self, cursor: Cursor) -> str:
        return replace_query_param(self.base_url, self.cursor_query_param, self.encode_cursor(cursor))


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
