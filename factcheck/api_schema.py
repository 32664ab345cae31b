"""OpenAPI: the error envelope (factcheck.errors) as one component, attached to every operation that can fail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class ErrorItem(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text="Dotted path into the request body (attributions.0.hops.1.source) or the query parameter's name; "
        "null when the error concerns the request as a whole.",
    )
    code = serializers.CharField(help_text="Machine-readable reason, e.g. required, invalid, does_not_exist.")
    message = serializers.CharField()


class ErrorEnvelope(serializers.Serializer):
    """The body of every error response."""

    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="invalid, not_found, not_authenticated, permission_denied, conflict, ...")
    detail = serializers.CharField(help_text="All the errors in one human-readable line.")
    errors = ErrorItem(many=True)


class AutoSchema(openapi.AutoSchema):
    """Documents the error responses each operation can give, all with the ErrorEnvelope body, and the blank value of
    read-only fields stored blank."""

    def _map_serializer_field(self, field: serializers.Field, direction: str, bypass_extensions: bool = False) -> Any:
        # DRF builds a read-only model field without allow_blank, so its schema would leave out the "" the API sends
        # for a text column stored blank (a verdict's correction_kind on version 1, a value's precision, an empty
        # archive_url). Read-only fields validate nothing, so saying they allow blank changes only the schema.
        if field.read_only and not getattr(field, "allow_blank", True) and _stored_blank(field):
            field.allow_blank = True
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if getattr(field, "allow_blank", False) and schema.get("format") == "uri":
            # "" is no URI: the documented value is a URI or the empty string.
            schema = {"oneOf": [schema, {"type": "string", "enum": [""]}]}
        return schema

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status_code, description in self._error_responses().items():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(
                    OpenApiResponse(ErrorEnvelope, description=description), status_code, direction=direction
                )
        return responses

    def _error_responses(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        is_detail = "{" in self.path
        if self.method in WRITE_METHODS:
            errors["400"] = "The request is invalid; each error names the field."
            errors["401"] = "No valid credentials were given."
            errors["403"] = "Only desk members may write."
        elif not is_detail:
            errors["400"] = "A query parameter (filter, ordering, page_size or cursor) is invalid."
        if is_detail:
            errors["404"] = "No such object, or it is not published."
        if self.method in WRITE_METHODS:
            errors["409"] = "The change conflicts with the data already stored."
        return errors


def _stored_blank(field: serializers.Field) -> bool:
    """Whether the serializer field reads a model text column that may be stored blank."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        column = model._meta.get_field(field.source)
    except FieldDoesNotExist:  # a property or a method, not a column
        return False
    return bool(getattr(column, "blank", False)) and column.get_internal_type() in ("CharField", "TextField")
